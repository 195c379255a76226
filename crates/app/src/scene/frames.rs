//! What the 3D view knows beyond the open task: the frames of its sequence (from the chunks loaded), the point
//! clouds fetched (the next frame's ahead of time), and the instant physics check of a frame that the session runs
//! with the other rules (`session::set_frame_checks`) — the engine's `rules::validate_frame`, nothing of its own.

use concord_engine::sorting::LeanSort;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use concord_engine::model::{ControlValue, Cuboid, EgoPose, Task};
use concord_engine::rules::{validate_frame, SceneContext, Violation};
use concord_engine::scene::{read_points, PointCloud};

use crate::session::Session;
use crate::state::LoadedTasks;

/// One frame of the open task's sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameRef {
    pub task: String,
    pub frame: i64,
    pub pose: Option<EgoPose>,
    /// Its points file, as the task gives it (bundle-relative or a URL).
    pub points: Option<String>,
}

/// The loaded frames of `task`'s sequence, by frame number (the task alone when it names no sequence).
pub fn sequence_of(tasks: &LoadedTasks, task: &Task) -> Vec<FrameRef> {
    let of = |t: &Task| FrameRef {
        task: t.id.clone(),
        frame: t.data.frame.unwrap_or(0),
        pose: t.data.pose,
        points: t.data.points.clone(),
    };
    let Some(name) = task.data.sequence.as_deref() else { return vec![of(task)] };
    let mut frames: Vec<FrameRef> =
        tasks.iter().flat_map(|c| c.iter()).filter(|t| t.data.sequence.as_deref() == Some(name)).map(of).collect();
    frames.lean_sort_by_key(|f| f.frame);
    frames
}

/// A frame's points, read by the engine, and the same points shuffled (x, y, z, intensity) for the renderer.
pub struct Cloud {
    pub cloud: PointCloud,
    pub shuffled: Vec<f32>,
}

impl Cloud {
    fn new(cloud: PointCloud) -> Cloud {
        // A fixed permutation (Fisher–Yates on SplitMix64): the first n points are a uniform sample of the frame.
        let mut order: Vec<usize> = (0..cloud.len()).collect();
        let mut rng = concord_engine::rng::SplitMix64::new(0x00C1_00D5);
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        let shuffled = order.iter().flat_map(|&i| cloud.points[i]).collect();
        Cloud { cloud, shuffled }
    }
}

thread_local! {
    static CLOUDS: RefCell<HashMap<String, Rc<Cloud>>> = RefCell::new(HashMap::new());
    static SCENE: RefCell<Option<Registry>> = const { RefCell::new(None) };
}

/// Clouds kept: the open frame, the frames around it, the one prefetched.
const KEEP: usize = 8;

/// A frame's cloud from the bundle (`path` relative to it), read strictly; fetched once and kept.
pub async fn load_cloud(base: &str, path: &str) -> Result<Rc<Cloud>, String> {
    let url = crate::views::resolve(base, path);
    if let Some(c) = CLOUDS.with(|c| c.borrow().get(&url).cloned()) {
        return Ok(c);
    }
    let bytes = if base == crate::loader::LOCAL_BASE {
        crate::loader::local_bytes(path).await.map_err(|e| e.to_string())?
    } else {
        crate::loader::fetch_bytes(&url).await.map_err(|e| format!("{path}: {e}"))?
    };
    let cloud = read_points(path, &bytes).map_err(|e| e.to_string())?;
    let cloud = Rc::new(Cloud::new(cloud));
    CLOUDS.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= KEEP {
            c.clear();
        }
        c.insert(url, cloud.clone());
    });
    Ok(cloud)
}

/// What the frame check needs, kept up to date by the view as it draws.
struct Registry {
    control: String,
    frames: Rc<Vec<FrameRef>>,
    /// The open frame's task and cloud, once loaded.
    cloud: Option<(String, Rc<Cloud>)>,
}

/// Tells the frame check the open frame's control, sequence and cloud.
pub fn register(control: &str, frames: Rc<Vec<FrameRef>>, cloud: Option<(String, Rc<Cloud>)>) {
    SCENE.with(|s| *s.borrow_mut() = Some(Registry { control: control.to_string(), frames, cloud }));
}

/// The cuboids of every frame of the sequence, each stamped with its frame, in each frame's own order.
pub fn sequence_cuboids(session: &Session, control: &str, frames: &[FrameRef]) -> Vec<Cuboid> {
    let mut out = Vec::new();
    for f in frames {
        if let Some(ControlValue::Cuboids(list)) = session.result_of(&f.task).and_then(|r| r.0.get(control)) {
            out.extend(list.iter().map(|c| Cuboid { frame: f.frame, ..c.clone() }));
        }
    }
    out
}

/// The physics rules on `task`'s frame, in its sequence: what the session adds to a point-cloud task's violations.
pub fn frame_checks(session: &Session, task: &Task) -> Vec<Violation> {
    let Some(rules) = &session.rules else { return Vec::new() };
    SCENE.with(|s| {
        let s = s.borrow();
        let Some(reg) = s.as_ref().filter(|r| r.frames.iter().any(|f| f.task == task.id)) else { return Vec::new() };
        let frame = task.data.frame.unwrap_or(0);
        let sequence = sequence_cuboids(session, &reg.control, &reg.frames);
        let poses: BTreeMap<i64, EgoPose> = reg.frames.iter().filter_map(|f| f.pose.map(|p| (f.frame, p))).collect();
        let clouds: BTreeMap<i64, PointCloud> = match &reg.cloud {
            Some((t, c)) if *t == task.id => BTreeMap::from([(frame, c.cloud.clone())]),
            _ => BTreeMap::new(),
        };
        let context = SceneContext {
            poses: (!poses.is_empty()).then_some(&poses),
            clouds: (!clouds.is_empty()).then_some(&clouds),
            ..Default::default()
        };
        validate_frame(rules, &reg.control, frame, &sequence, context)
    })
}
