//! The physics rules over the whole sequence, in the chunk worker: the open frame's check runs on the page at every
//! edit (`frames::frame_checks`); this one looks at every frame after each change (a track's speed three frames
//! away, an overlap in a frame copied from this one) and lists them, each a link to its frame. The engine's
//! `rules::validate_scene_in`, nothing of its own; ego poses as the page has them, and for `min_points` the points
//! inside each cuboid, counted here frame by frame (a frame's cloud fetched when one of its cuboids is new or moved,
//! counted, and let go: a sequence's clouds are too many to hold).

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use concord_engine::model::{Cuboid, EgoPose};
use concord_engine::rules::{parse_rules, validate_scene_in, CuboidViolation, RuleSet, SceneContext, Severity};
use concord_engine::sorting::LeanSort;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::frames::{sequence_cuboids, FrameRef};
use crate::session::Session;
use crate::views::Shared;

/// A sequence to check, as a change to the one the worker holds: the frames whose cuboids changed since version
/// `base` (all of them when `base` is 0), the sequence's frame numbers (the others are dropped), and the poses.
/// Cuboids and poses go as JSON (the worker's message codec cannot carry attribute values); the rules as the
/// project's file, parsed once per text in the worker.
#[derive(Serialize, Deserialize)]
pub struct SequenceJob {
    pub rules_path: String,
    pub rules: String,
    pub frames: Vec<i64>,
    /// `Vec<(frame, Vec<Cuboid>)>` as JSON.
    pub changed: String,
    pub poses: String,
    /// Each frame's points file as an absolute URL, when the rules count points (`min_points`) and the worker can
    /// fetch them (not for a bundle opened from disk).
    pub clouds: Vec<(i64, String)>,
    pub base: u64,
    pub version: u64,
}

/// The violations (`Vec<CuboidViolation>` as JSON) and how long the engine took in the worker; or `stale`: the
/// worker does not hold version `base` (it was restarted, or another check came between), so nothing was checked.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct SequenceAnswer {
    pub violations: String,
    pub engine_ms: f64,
    /// How long counting the points inside new or moved cuboids took (clouds fetched and read), when the rules
    /// count points.
    pub count_ms: f64,
    pub stale: bool,
}

thread_local! {
    /// The worker's parsed rules, by their text.
    static PARSED: RefCell<Option<(String, Rc<RuleSet>)>> = const { RefCell::new(None) };
    /// The worker's copy of the sequence.
    static HELD: RefCell<HeldSequence> = RefCell::new(HeldSequence::default());
    /// Points inside the held cuboids, by [`count_key`].
    static COUNTS: RefCell<HashMap<CountKey, usize>> = RefCell::new(HashMap::new());
    /// A count is under way: a later job waits for it rather than fetching the same clouds beside it.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    /// The clouds last counted in, newest first: a cuboid is most often moved again in the frame it was just moved
    /// in, whose cloud is then not fetched and read again.
    static RECENT: RefCell<Vec<(String, Rc<concord_engine::scene::PointCloud>)>> = const { RefCell::new(Vec::new()) };
}

/// Clouds the worker keeps between counts (a 120,000-point frame is about 2 MB).
const RECENT_CLOUDS: usize = 2;

/// A cuboid's frame and exact geometry: its count stays valid while these do.
type CountKey = (i64, [u64; 7]);

fn count_key(c: &Cuboid) -> CountKey {
    let [x, y, z] = c.center.map(f64::to_bits);
    let [l, w, h] = c.size.map(f64::to_bits);
    (c.frame, [x, y, z, l, w, h, c.yaw.to_bits()])
}

/// Counts the points inside every cuboid not counted yet, a frame's cloud at a time, and forgets the counts of
/// cuboids no longer held.
async fn count_points(cuboids: &[Cuboid], clouds: &[(i64, String)]) -> Result<(), String> {
    while COUNTING.with(Cell::get) {
        crate::loader::sleep_ms(10).await;
    }
    COUNTING.with(|c| c.set(true));
    let counted = count_missing(cuboids, clouds).await;
    COUNTING.with(|c| c.set(false));
    counted
}

async fn count_missing(cuboids: &[Cuboid], clouds: &[(i64, String)]) -> Result<(), String> {
    let missing: std::collections::BTreeSet<i64> = COUNTS.with(|counts| {
        let counts = counts.borrow();
        cuboids.iter().filter(|c| !counts.contains_key(&count_key(c))).map(|c| c.frame).collect()
    });
    for frame in missing {
        let Some((_, url)) = clouds.iter().find(|(f, _)| *f == frame) else { continue };
        let cloud = cloud_at(url).await?;
        COUNTS.with(|counts| {
            let mut counts = counts.borrow_mut();
            for c in cuboids.iter().filter(|c| c.frame == frame) {
                counts.insert(count_key(c), concord_engine::scene::points_inside(&cloud, c).len());
            }
        });
    }
    let held: std::collections::HashSet<CountKey> = cuboids.iter().map(count_key).collect();
    COUNTS.with(|counts| counts.borrow_mut().retain(|k, _| held.contains(k)));
    Ok(())
}

/// The cloud at `url`: one of the [`RECENT_CLOUDS`] kept, or fetched and read.
async fn cloud_at(url: &str) -> Result<Rc<concord_engine::scene::PointCloud>, String> {
    if let Some(c) = RECENT.with(|r| r.borrow().iter().find(|(u, _)| u == url).map(|(_, c)| c.clone())) {
        return Ok(c);
    }
    let cloud = Rc::new(fetch_cloud(url).await?);
    RECENT.with(|r| {
        let mut r = r.borrow_mut();
        r.insert(0, (url.to_string(), cloud.clone()));
        r.truncate(RECENT_CLOUDS);
    });
    Ok(cloud)
}

async fn fetch_cloud(url: &str) -> Result<concord_engine::scene::PointCloud, String> {
    let bytes = crate::loader::fetch_bytes(url).await?;
    concord_engine::scene::read_points(url.rsplit('/').next().unwrap_or(url), &bytes).map_err(|e| e.to_string())
}

/// Runs a [`SequenceJob`] (in the worker).
pub async fn run(job: SequenceJob) -> Result<SequenceAnswer, String> {
    let rules = match PARSED.with(|p| p.borrow().as_ref().filter(|(t, _)| *t == job.rules).map(|(_, r)| r.clone())) {
        Some(r) => r,
        None => {
            // The page checked the labels against the schema when it opened the project.
            let r = Rc::new(parse_rules(&job.rules_path, &job.rules, None).map_err(|e| e.to_string())?);
            PARSED.with(|p| *p.borrow_mut() = Some((job.rules.clone(), r.clone())));
            r
        }
    };
    let changed: Vec<(i64, Vec<Cuboid>)> =
        serde_json::from_str(&job.changed).map_err(|e| format!("the sequence's cuboids: {e}"))?;
    let cuboids = HELD.with(|held| held.borrow_mut().apply(job.base, job.version, &job.frames, changed));
    let Some(cuboids) = cuboids else {
        return Ok(SequenceAnswer { violations: "[]".into(), engine_ms: 0.0, count_ms: 0.0, stale: true });
    };
    let poses: Vec<EgoPose> = serde_json::from_str(&job.poses).map_err(|e| format!("the sequence's poses: {e}"))?;
    let poses: BTreeMap<i64, EgoPose> = poses.into_iter().map(|p| (p.frame, p)).collect();
    let counting = rules.counts_points() && !job.clouds.is_empty();
    let mut count_ms = 0.0;
    if counting {
        let counted_from = worker_now();
        count_points(&cuboids, &job.clouds).await?;
        count_ms = worker_now() - counted_from;
    }
    let t0 = worker_now();
    let counted = |c: &Cuboid| COUNTS.with(|m| m.borrow().get(&count_key(c)).copied());
    let found = validate_scene_in(
        &rules,
        &cuboids,
        SceneContext {
            poses: (!poses.is_empty()).then_some(&poses),
            counted: counting.then_some(&counted as &dyn Fn(&Cuboid) -> Option<usize>),
            ..Default::default()
        },
    );
    let engine_ms = worker_now() - t0;
    Ok(SequenceAnswer {
        violations: serde_json::to_string(&found).map_err(|e| e.to_string())?,
        engine_ms,
        count_ms,
        stale: false,
    })
}

/// The worker's copy of a sequence: the version it is at and each frame's cuboids.
#[derive(Debug, Default)]
pub struct HeldSequence {
    version: u64,
    frames: BTreeMap<i64, Vec<Cuboid>>,
}

impl HeldSequence {
    /// Applies a change made against version `base` (0: the whole sequence anew), which brings it to `version`:
    /// the frames not in `frames` dropped, the `changed` ones replaced. `None`, and nothing changed, when this copy is
    /// not at `base`; else every cuboid of the sequence, frame by frame.
    pub fn apply(
        &mut self,
        base: u64,
        version: u64,
        frames: &[i64],
        changed: Vec<(i64, Vec<Cuboid>)>,
    ) -> Option<Vec<Cuboid>> {
        if base != 0 && self.version != base {
            return None;
        }
        if base == 0 {
            self.frames.clear();
        }
        let keep: std::collections::HashSet<i64> = frames.iter().copied().collect();
        self.frames.retain(|f, _| keep.contains(f));
        self.frames.extend(changed);
        self.version = version;
        Some(self.frames.values().flatten().cloned().collect())
    }
}

fn worker_now() -> f64 {
    js_sys::global()
        .dyn_into::<web_sys::DedicatedWorkerGlobalScope>()
        .ok()
        .and_then(|s| s.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// What the sequence check last found.
#[derive(Clone, PartialEq, Default)]
pub enum SequenceChecks {
    /// No rules, no sequence, or the first answer not in yet.
    #[default]
    Idle,
    Found(Rc<Vec<CuboidViolation>>),
    Failed(String),
}

/// Checks the sequence of `frames` in the worker whenever the session changes (`generation`); an answer overtaken
/// by a newer change is dropped.
#[hook]
pub fn use_sequence_checks(
    session: &Shared,
    control: &str,
    frames: &Rc<Vec<FrameRef>>,
    base: &str,
    generation: u64,
) -> SequenceChecks {
    let found = use_state(SequenceChecks::default);
    let latest = use_mut_ref(|| Cell::new(0u64));
    let sent = use_mut_ref(Sent::default);
    let (session, control, frames, found_handle, base) =
        (session.0.clone(), control.to_string(), frames.clone(), found.clone(), base.to_string());
    use_effect_with((generation, frames.clone()), move |_| {
        let ticket = latest.borrow().get() + 1;
        latest.borrow().set(ticket);
        wasm_bindgen_futures::spawn_local(async move {
            // After a pause in the edits: a held arrow key makes one event per repeat, and the page's own check
            // of the open frame already answers each of them.
            crate::loader::sleep_ms(QUIET_MS).await;
            if latest.borrow().get() != ticket {
                return;
            }
            let t0 = crate::perf::now();
            let mut answer = None;
            // Twice at most: the change, then everything if the worker no longer holds what the change is to.
            for _ in 0..2 {
                let Some((job, pending)) = job_for(&session.borrow(), &control, &frames, &base, &sent.borrow()) else {
                    return;
                };
                // The page's share: the sequence's cuboids gathered, compared with what was sent, the change written.
                crate::perf::record("sequence_check_send", crate::perf::now() - t0);
                let a = crate::loader::sequence_in_worker(job).await;
                match &a {
                    Some(Ok(a)) if a.stale => *sent.borrow_mut() = Sent::default(),
                    Some(Ok(_)) => *sent.borrow_mut() = pending,
                    _ => *sent.borrow_mut() = Sent::default(),
                }
                let stale = matches!(&a, Some(Ok(a)) if a.stale);
                answer = a;
                if !stale {
                    break;
                }
            }
            if latest.borrow().get() != ticket {
                return;
            }
            let next = match answer {
                None => SequenceChecks::Failed("the worker that checks the sequence is not running".into()),
                Some(Err(why)) => SequenceChecks::Failed(why),
                Some(Ok(a)) if a.stale => SequenceChecks::Failed("the worker lost the sequence twice".into()),
                Some(Ok(a)) => {
                    crate::perf::record("sequence_check_engine", a.engine_ms);
                    if a.count_ms > 0.0 {
                        crate::perf::record("sequence_check_count", a.count_ms);
                    }
                    crate::perf::record("sequence_check", crate::perf::now() - t0);
                    match serde_json::from_str(&a.violations) {
                        Ok(v) => SequenceChecks::Found(Rc::new(v)),
                        Err(e) => SequenceChecks::Failed(format!("the worker's answer: {e}")),
                    }
                }
            };
            found_handle.set(next);
        });
    });
    (*found).clone()
}

/// What the worker was last sent: the version it holds and each frame's cuboids then.
#[derive(Default)]
struct Sent {
    version: u64,
    frames: HashMap<i64, Vec<Cuboid>>,
}

/// The job for a sequence of more than one frame under a rule file — the frames changed since `sent` — and what
/// the worker holds once it has run; `None` without rules or a sequence.
fn job_for(
    session: &Session,
    control: &str,
    frames: &[FrameRef],
    base: &str,
    sent: &Sent,
) -> Option<(SequenceJob, Sent)> {
    let (path, text) = (session.project.rules.as_ref()?.path.clone(), session.rules_text.clone()?);
    if frames.len() < 2 {
        return None;
    }
    let poses: Vec<EgoPose> = frames.iter().filter_map(|f| f.pose).collect();
    let mut now: HashMap<i64, Vec<Cuboid>> = HashMap::with_capacity(frames.len());
    let mut changed: Vec<(i64, &Vec<Cuboid>)> = Vec::new();
    for f in frames {
        let list = sequence_cuboids(session, control, std::slice::from_ref(f));
        now.insert(f.frame, list);
    }
    for f in frames {
        let list = &now[&f.frame];
        if sent.version == 0 || sent.frames.get(&f.frame) != Some(list) {
            changed.push((f.frame, list));
        }
    }
    let version = NEXT_VERSION.with(|v| {
        v.set(v.get() + 1);
        v.get()
    });
    let job = SequenceJob {
        rules_path: path,
        rules: text.to_string(),
        frames: frames.iter().map(|f| f.frame).collect(),
        changed: serde_json::to_string(&changed).ok()?,
        poses: serde_json::to_string(&poses).ok()?,
        clouds: cloud_urls(session, frames, base),
        base: sent.version,
        version,
    };
    Some((job, Sent { version, frames: now }))
}

/// Where the worker fetches each frame's points, when the rules count them; none for a bundle opened from disk
/// (the worker cannot read it: the open frame's own check still counts).
fn cloud_urls(session: &Session, frames: &[FrameRef], base: &str) -> Vec<(i64, String)> {
    if base == crate::loader::LOCAL_BASE || !session.rules.as_ref().is_some_and(|r| r.counts_points()) {
        return Vec::new();
    }
    frames.iter().filter_map(|f| Some((f.frame, crate::views::resolve(base, f.points.as_deref()?)))).collect()
}

thread_local! {
    /// Versions of the sequence sent to the worker: never reused, so a stale base is always noticed.
    static NEXT_VERSION: Cell<u64> = const { Cell::new(0) };
}

/// How long the edits must pause before the sequence is checked again.
const QUIET_MS: i32 = 150;

/// Violations listed at most.
const LISTED: usize = 40;

/// The sequence's problems, frame by frame, each frame a button that opens it.
pub fn sequence_panel(checks: &SequenceChecks, frames: &[FrameRef], here: i64, on_open: &Callback<String>) -> Html {
    let found = match checks {
        SequenceChecks::Idle => return html! {},
        SequenceChecks::Failed(why) => {
            return html! { <p class="sequence-checks problem" role="alert" data-testid="sequence-checks">{ format!("The sequence could not be checked: {why}") }</p> }
        }
        SequenceChecks::Found(v) => v,
    };
    let mut listed: Vec<&CuboidViolation> = found.iter().collect();
    listed.lean_sort_by_key(|v| (v.frame, v.cuboid));
    let frames_hit = {
        let mut f: Vec<i64> = listed.iter().map(|v| v.frame).collect();
        f.dedup();
        f.len()
    };
    let open = |frame: i64| {
        let task = frames.iter().find(|f| f.frame == frame).map(|f| f.task.clone());
        let on_open = on_open.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(t) = task.clone() {
                on_open.emit(t)
            }
        })
    };
    html! {
        <section class="sequence-checks" data-testid="sequence-checks" data-count={found.len().to_string()}
                 aria-label="Physics checks over the sequence">
            <h3>{ if found.is_empty() {
                format!("Sequence: no problems in the {} frames loaded", frames.len())
            } else {
                format!("Sequence: {} problems in {frames_hit} of the {} frames loaded", found.len(), frames.len())
            } }</h3>
            if !found.is_empty() {
                <ol>
                    { for listed.iter().take(LISTED).map(|v| html! {
                        <li class={classes!(if v.severity == Severity::Error { "error" } else { "warning" }, (v.frame == here).then_some("here"))}
                            data-frame={v.frame.to_string()} data-rule={v.rule.clone()}>
                            <button onclick={open(v.frame)}>{ format!("Frame {}", v.frame) }</button>
                            { format!(" {} ", v.message) }
                            <a href={v.section.clone()} class="section-link">{ format!("guideline {}", v.section) }</a>
                        </li>
                    }) }
                </ol>
                if found.len() > LISTED { <p class="more">{ format!("and {} more", found.len() - LISTED) }</p> }
            }
        </section>
    }
}
