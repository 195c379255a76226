//! `concord validate --bundle DIR ANNOTATIONS.jsonl` — every annotation against the bundle's guideline rules:
//! violations grouped by rule and by guideline section (the guideline-specific error rates).
//! `concord validate --rules RULES.json --cuboids SCENE [--poses POSES.json] [--points DIR]` — 3D physics checks on
//! a cuboid scene (Concord's JSON, KITTI tracking labels or nuScenes-style annotations), in the world when the ego
//! poses are given, with the points inside each cuboid counted when the frames' clouds are.
//! `concord validate --bundle DIR --cuboids SCENE [--sequence NAME]` — the same with a point-cloud project's rules,
//! its frames' ego poses and its frames' clouds: the checks the 3D mode shows.

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::path::PathBuf;

use concord_engine::rules::{parse_rules, validate_all, Subject};
use concord_engine::rules::{validate_scene_in, SceneContext};
use concord_engine::scene::{read_cuboids, read_kitti_bin, read_pcd, read_points, EgoPose, PointCloud};

use crate::input;
use crate::Failure;

pub fn run(args: Vec<OsString>) -> Result<String, Failure> {
    let (mut rules_path, mut cuboids) = (None::<PathBuf>, None::<PathBuf>);
    let (mut poses_path, mut points_dir, mut sequence) = (None::<PathBuf>, None::<PathBuf>, None::<String>);
    let common = super::parse(args, |name, p| {
        match name {
            "rules" => rules_path = Some(PathBuf::from(p.value()?)),
            "cuboids" => cuboids = Some(PathBuf::from(p.value()?)),
            "poses" => poses_path = Some(PathBuf::from(p.value()?)),
            "points" => points_dir = Some(PathBuf::from(p.value()?)),
            "sequence" => sequence = Some(p.value()?.to_string_lossy().into_owned()),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    if cuboids.is_none() && (poses_path.is_some() || points_dir.is_some()) {
        return Err(Failure::Input("--poses and --points go with --cuboids".into()));
    }
    if let Some(scene) = cuboids {
        let scene_name = scene.display().to_string();
        let cuboids = read_cuboids(&scene_name, &input::read_to_string(&scene)?)?;
        let frames: std::collections::BTreeSet<i64> = cuboids.iter().map(|c| c.frame).collect();
        // A point-cloud project gives what is not given: its rules, its frames' poses and clouds.
        let project = match &common.bundle {
            Some(dir) => Some(ProjectScene::read(dir, sequence.as_deref(), &frames)?),
            None if sequence.is_some() => return Err(Failure::Input("--sequence goes with --bundle DIR".into())),
            None => None,
        };
        let rules = match (&rules_path, &project) {
            (Some(p), _) => parse_rules(&p.display().to_string(), &input::read_to_string(p)?, None)?,
            (None, Some(ProjectScene { rules: Some(r), .. })) => r.clone(),
            (None, Some(_)) => return Err(Failure::Input("the project has no rules file; give --rules".into())),
            (None, None) => return Err(Failure::Input("--cuboids needs --rules RULES.json (or --bundle DIR)".into())),
        };
        let poses = match (&poses_path, &project) {
            (Some(p), _) => Some(read_poses(p)?),
            (None, Some(s)) if !s.poses.is_empty() => Some(s.poses.clone()),
            _ => None,
        };
        let clouds = match (&points_dir, project) {
            (Some(dir), _) => Some(read_clouds(dir, &frames)?),
            (None, Some(s)) if !s.clouds.is_empty() => Some(s.clouds),
            _ => None,
        };
        let context = SceneContext { poses: poses.as_ref(), clouds: clouds.as_ref(), ..Default::default() };
        let violations = validate_scene_in(&rules, &cuboids, context);
        return Ok(crate::to_json(&serde_json::json!({"cuboids": cuboids.len(), "violations": violations})));
    }
    let dir =
        common.bundle.clone().ok_or_else(|| Failure::Input("give --bundle DIR (or --rules R --cuboids S)".into()))?;
    let (b, bundle_rules) = input::bundle(&dir)?;
    let rules = match (&rules_path, bundle_rules) {
        (Some(p), _) => parse_rules(&p.display().to_string(), &input::read_to_string(p)?, Some(&b.project.schema))?,
        (None, Some(r)) => r,
        (None, None) => {
            return Err(Failure::Input(format!("{}: the project has no rules file; give --rules", dir.display())))
        }
    };
    let tasks: HashMap<&str, &concord_engine::model::Task> = b.tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let predictions: HashMap<&str, &concord_engine::bundle::Prediction> =
        b.predictions.iter().map(|p| (p.task.as_str(), p)).collect();
    let records = input::annotation_records(&common.files, &b.project.schema)?;
    if let Some(r) = records.iter().find(|r| !tasks.contains_key(r.task.as_str())) {
        return Err(Failure::Input(format!("annotation of task `{}`, which the bundle does not have", r.task)));
    }
    let subjects = records.iter().map(|r| Subject {
        task: tasks[r.task.as_str()],
        result: &r.result,
        prediction: predictions.get(r.task.as_str()).copied(),
    });
    Ok(crate::to_json(&validate_all(&rules, subjects)))
}

/// The ego poses: a JSON list of `{frame, timestamp, translation, yaw}`, one per frame.
fn read_poses(path: &std::path::Path) -> Result<BTreeMap<i64, EgoPose>, Failure> {
    let name = path.display().to_string();
    let text = input::read_to_string(path)?;
    let list: Vec<EgoPose> = concord_engine::json_path::from_str(&text)
        .map_err(|e| concord_engine::InputError::from_json_document(&name, e))?;
    let mut out = BTreeMap::new();
    for (i, p) in list.into_iter().enumerate() {
        if !(p.timestamp.is_finite() && p.yaw.is_finite() && p.translation.iter().all(|x| x.is_finite())) {
            return Err(concord_engine::InputError::at_path(&name, format!("$[{i}]"), "values must be finite").into());
        }
        if out.insert(p.frame, p).is_some() {
            return Err(concord_engine::InputError::at_path(
                &name,
                format!("$[{i}].frame"),
                "a second pose for this frame",
            )
            .into());
        }
    }
    Ok(out)
}

/// Each frame's point cloud from `dir`: frame N is `N.bin` or `N.pcd`, N written with or without leading zeros to
/// six digits (KITTI's `000012.bin`). A frame without a file has no cloud.
fn read_clouds(
    dir: &std::path::Path,
    frames: &std::collections::BTreeSet<i64>,
) -> Result<BTreeMap<i64, PointCloud>, Failure> {
    if !dir.is_dir() {
        return Err(Failure::Input(format!("{}: not a folder of point clouds", dir.display())));
    }
    let mut out = BTreeMap::new();
    for &f in frames {
        for name in [format!("{f:06}"), f.to_string()] {
            let (bin, pcd) = (dir.join(format!("{name}.bin")), dir.join(format!("{name}.pcd")));
            let cloud = if bin.is_file() {
                read_kitti_bin(&bin.display().to_string(), &read_bytes(&bin)?)?
            } else if pcd.is_file() {
                read_pcd(&pcd.display().to_string(), &read_bytes(&pcd)?)?
            } else {
                continue;
            };
            out.insert(f, cloud);
            break;
        }
    }
    Ok(out)
}

fn read_bytes(path: &std::path::Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))
}

/// What a point-cloud project knows of a scene's frames: its rules, and each frame's ego pose and cloud (the clouds
/// of the frames the scene has cuboids in).
struct ProjectScene {
    rules: Option<concord_engine::rules::RuleSet>,
    poses: BTreeMap<i64, EgoPose>,
    clouds: BTreeMap<i64, PointCloud>,
}

impl ProjectScene {
    fn read(
        dir: &std::path::Path,
        sequence: Option<&str>,
        frames: &std::collections::BTreeSet<i64>,
    ) -> Result<ProjectScene, Failure> {
        let (b, rules) = input::bundle(dir)?;
        let named: std::collections::BTreeSet<&str> =
            b.tasks.iter().filter_map(|t| t.data.sequence.as_deref()).collect();
        let chosen = match sequence {
            Some(s) if !named.contains(s) => {
                let known: Vec<&str> = named.into_iter().collect();
                return Err(Failure::Input(format!(
                    "{}: no sequence `{s}` (it has {})",
                    dir.display(),
                    known.join(", ")
                )));
            }
            Some(s) => Some(s),
            None if named.len() > 1 => {
                let known: Vec<&str> = named.into_iter().collect();
                return Err(Failure::Input(format!(
                    "{}: {} sequences ({}); say which with --sequence NAME",
                    dir.display(),
                    known.len(),
                    known.join(", ")
                )));
            }
            None => named.into_iter().next(),
        };
        let (mut poses, mut clouds) = (BTreeMap::new(), BTreeMap::new());
        for t in b.tasks.iter().filter(|t| t.data.sequence.as_deref() == chosen && t.data.points.is_some()) {
            let frame = t.data.frame.unwrap_or(0);
            if let Some(p) = t.data.pose {
                poses.insert(frame, p);
            }
            let Some(points) = t.data.points.as_deref().filter(|_| frames.contains(&frame)) else { continue };
            if points.contains("://") {
                return Err(Failure::Input(format!("task `{}`: its points are at {points}; give --points DIR", t.id)));
            }
            let path = dir.join(points);
            let name = path.display().to_string();
            let bytes = read_bytes(&path)?;
            let cloud = read_points(&name, &bytes)?;
            clouds.insert(frame, cloud);
        }
        Ok(ProjectScene { rules, poses, clouds })
    }
}
