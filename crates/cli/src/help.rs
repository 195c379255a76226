//! Every command's help: `concord help`, `concord help COMMAND`, `concord COMMAND --help`, and the reference page
//! `docs/cli.md` (`concord help --markdown`; a test keeps the page equal to it). One text, three readers.

/// One command's help.
pub struct CommandHelp {
    pub name: &'static str,
    pub summary: &'static str,
    /// Each form of the command, without the leading `concord `.
    pub usage: &'static [&'static str],
    /// `(option, what it does)`.
    pub options: &'static [(&'static str, &'static str)],
    /// A command line to copy, without the leading `concord `.
    pub example: &'static str,
}

pub const COMMANDS: &[CommandHelp] = &[
    CommandHelp {
        name: "agreement",
        summary: "Inter-annotator agreement: percent agreement, Cohen's and Fleiss' κ, Scott's π, Krippendorff's α (every metric), pairwise and per label.",
        usage: &[
            "agreement FILE... [--order a,b,c] [--format F] [--strict] [--replicates N] [--seed S] [--level L]",
            "agreement FILE... --minimum M [--decide-by lower-bound|point-estimate|risk:R]",
            "agreement --bundle DIR EXPORTS.jsonl... [--control C]",
        ],
        options: &[
            ("FILE...", "annotations: a long CSV (item,annotator,label), span or IOB2 JSONL or CoNLL-2003 (one file per annotator), a Label Studio export (JSON; JSON_MIN, CSV or TSV with --label-config), doccano or Prodigy JSONL, CVAT for images XML (one file per annotator), Pascal VOC XML (one folder of files per annotator), YOLO label files (one folder per annotator, with its classes.txt), or Concord exports with --bundle"),
            ("--order a,b,c", "the labels' order, for ordinal and interval α when labels are not numbers"),
            ("--format F", "csv, spans, bio, conll2003, labelstudio, labelstudio-min, labelstudio-csv, coco, doccano, prodigy, voc, cvat or yolo, when the extension and content do not tell"),
            ("--strict", "IOB2 files: only B-X I-X* is a chunk, a stray I-X belongs to none (seqeval's strict mode); lenient by default"),
            ("--bundle DIR", "read Concord exports against this project bundle"),
            ("--control C", "the control to read from Concord or Label Studio exports (default: the first; a Label Studio `Rating` is read as its number, so ordinal and interval α apply)"),
            ("--label-config CONFIG.xml", "the Label Studio project's label config: its JSON_MIN, CSV and TSV exports name their columns after its controls (`Choices`, `Labels`, `RectangleLabels`, `PolygonLabels`, `Rating`)"),
            ("--replicates N", "bootstrap replicates for the intervals next to each figure (default 1000; 0: no intervals)"),
            ("--seed S, --level L", "the bootstrap's seed (default 0: the same seed, the same intervals) and level (default 0.95)"),
            ("--minimum M", "add the pilot gate: does α reach M? With the labels and pairs entirely below M, and those too uncertain to call"),
            ("--decide-by RULE", "lower-bound (default: the interval's lower bound must reach M), point-estimate, or risk:R (P(α < M) ≤ R)"),
        ],
        example: "agreement labels.csv --order low,mid,high",
    },
    CommandHelp {
        name: "gold",
        summary: "Accuracy against gold: confusion and per-label scores (categorical), seqeval-style scores (spans), COCOeval's twelve numbers (boxes).",
        usage: &["gold FILE... --gold GOLD [--format F] [--strict] [--control C]"],
        options: &[
            ("FILE...", "annotations, as for `agreement`; COCO results (detections) for boxes"),
            ("--gold GOLD", "the answers: a CSV item,label, span or IOB2 JSONL, COCO instances, or a Label Studio export (its ground_truth annotations)"),
            ("--format F", "csv, spans, bio, labelstudio, coco, doccano, prodigy, voc, cvat or yolo"),
            ("--strict", "IOB2 files: seqeval's strict chunking (lenient by default)"),
            ("--control C", "Label Studio exports: the control to score (its kind, and for choices its labels); by default the dominant kind"),
        ],
        example: "gold labels.csv --gold gold.csv",
    },
    CommandHelp {
        name: "aggregate",
        summary: "One answer per item: majority vote, gold-weighted vote or Dawid–Skene for labels; consensus regions for spans and boxes.",
        usage: &[
            "aggregate FILE... --method mv|wmv|ds [--gold G] [--max-iter N] [--tol T] [--order a,b] [--out labels.csv]",
            "aggregate SPANS-OR-BOXES... [--quorum K] [--overlap] [--iou T]",
        ],
        options: &[
            ("--control C, --bundle DIR, --label-config CONFIG.xml", "as for `agreement`: the control to read, the bundle Concord exports need, the label config Label Studio's flat exports need"),
            ("--method mv|wmv|ds", "majority vote (default), majority vote weighted by accuracy on --gold, or Dawid–Skene"),
            ("--gold G", "a CSV item,label: weights for wmv, and held out of Dawid–Skene's estimates"),
            ("--max-iter N, --tol T", "Dawid–Skene's iteration limit (default 100) and convergence tolerance (default 1e-5)"),
            ("--order a,b", "the labels' order: ties go to the first"),
            ("--out labels.csv", "also write item,label,confidence"),
            ("--quorum K", "spans and boxes: keep a region that K annotators drew"),
            ("--overlap", "spans: cluster overlapping spans, not only identical ones"),
            ("--iou T", "boxes: the IoU at which two boxes are one object (default 0.5)"),
        ],
        example: "aggregate labels.csv --method ds --out final.csv",
    },
    CommandHelp {
        name: "validate",
        summary: "Annotations against the bundle's guideline rules, grouped by rule and guideline section; or 3D physics checks on a cuboid scene.",
        usage: &["validate --bundle DIR ANNOTATIONS.jsonl... [--rules RULES.json]", "validate --rules RULES.json --cuboids SCENE [--poses POSES.json] [--points DIR]", "validate --bundle DIR --cuboids SCENE [--sequence NAME]"],
        options: &[
            ("--bundle DIR", "the project bundle whose schema and rules apply; with --cuboids, a point-cloud project, whose rules, frames' ego poses and frames' clouds apply (what the 3D mode checks)"),
            ("--sequence NAME", "with --bundle and --cuboids: the project's sequence the scene's frames are (needed when it has several)"),
            ("ANNOTATIONS.jsonl...", "annotators' exports from the app"),
            ("--rules RULES.json", "rules to apply instead of the bundle's"),
            ("--cuboids SCENE", "a scene of 3D boxes to check against physics rules: Concord's JSON list of cuboids, KITTI tracking labels (text) or nuScenes-style sample annotations (JSON with sample_token)"),
            ("--poses POSES.json", "the ego pose per frame ([{frame, timestamp, translation, yaw}]): speed and acceleration are then measured in the world"),
            ("--points DIR", "the frames' point clouds (N.bin in KITTI's layout or N.pcd, N the frame, e.g. 000012.bin): min_points rules count the points inside each cuboid"),
        ],
        example: "validate --bundle www/demo/retail/ alice.jsonl",
    },
    CommandHelp {
        name: "validate-bundle",
        summary: "Loads a project bundle the way the app does and reports what it holds, or the first error with its file and place.",
        usage: &["validate-bundle DIR"],
        options: &[("DIR", "the bundle folder (the one with project.json)")],
        example: "validate-bundle www/demo/news/",
    },
    CommandHelp {
        name: "learn",
        summary: "Trains the app's online learner on labels in the order they were made: the model, its predictions for every task, and its accuracy on the bundle's gold.",
        usage: &["learn --bundle DIR LABELS... --out DIR/ [--control C] [--curve N,N,...] [--features FILE] [--gold-first] [--regions FILE]", "learn --bundle DIR --gold-first --out DIR/"],
        options: &[
            ("--bundle DIR", "the project: its schema, tasks, gold and embeddings (a text project, or an image project whose bundle ships embeddings, for a single-choice, rating or spans control; an image project for a boxes or polygons control, whose regions' labels are learned from their size, aspect, place and the image's other labels)"),
            ("LABELS...", "Concord logs (replayed in the order the labels were made) or annotation exports (in file order)"),
            ("--out DIR/", "a new or empty folder: model.json (every non-zero weight, with the feature settings), predictions.jsonl (the bundle's predictions format; a region labeller's are the regions of --regions, or else of the labels given, each with the model's label and its probability as `score`) and queue.json (the tasks by the model's uncertainty, as annotator mode's most-uncertain-first orders them: those not labeled, least sure first — a classifier's least confidence, a tagger's least token margin — then the labeled)"),
            ("--control C", "the control to learn (default: the first single-choice, rating or spans control, else the first boxes or polygons control)"),
            ("--regions FILE", "a region labeller labels the regions of these results (JSONL in the gold's format: {task, result}; a detector's boxes, or a task as it is on screen) in predictions.jsonl"),
            ("--curve N,N,...", "also report the gold accuracy after the first N labels, for each N (a learning curve)"),
            ("--gold-first", "learn the bundle's training gold first, in file order, as annotator mode's model does before the annotator's labels (its evaluation on that gold is then no longer held out)"),
            ("--features FILE", "also write every task's feature vector as JSONL ({task, x: [[index, value], ...]}; a classifier's), to train a reference model on the same inputs; a region labeller's are per region ({set: labels or gold, record, task, region, label, x}), every region of the labels given, then every gold region"),
        ],
        example: "learn --bundle www/demo/tickets/ ann-log.jsonl --out model/",
    },
    CommandHelp {
        name: "tracking",
        summary: "Tracked 3D boxes against gold, frame by frame: identity switches, misses, false positives, MOTA and MOTP (CLEAR MOT).",
        usage: &["tracking GOLD TRACKED [--iou T]"],
        options: &[
            ("GOLD, TRACKED", "cuboids with frames and track ids: Concord's JSON, KITTI tracking labels or nuScenes-style annotations"),
            ("--iou T", "the bird's-eye-view IoU at which a tracked box matches a gold one of its label (default 0.5)"),
        ],
        example: "tracking gold.txt tracked.txt --iou 0.3",
    },
    CommandHelp {
        name: "tracks",
        summary: "The tracks queue of a point-cloud project's annotations: every annotator's track against the other annotators' cuboids (CLEAR MOT), most identity switches first, then the least matched — what review mode lists for a 3D batch.",
        usage: &["tracks --bundle DIR ANNOTATIONS... [--iou T]"],
        options: &[
            ("--bundle DIR", "the point-cloud project whose schema the annotations are read against"),
            ("ANNOTATIONS", "annotators' Concord logs or annotation exports of the project's cuboid control"),
            ("--iou T", "the bird's-eye-view IoU at which two boxes of one label match (default 0.5)"),
        ],
        example: "tracks --bundle www/demo/street/ ann-1.jsonl ann-2.jsonl",
    },
    CommandHelp {
        name: "export",
        summary: "Work done in Concord in another tool's format: Label Studio JSON, doccano or Prodigy JSONL, COCO JSON, CVAT for images XML, Pascal VOC XML or YOLO txt. A point-cloud project's boxes and polygons on a camera's image go as an image project, a folder per camera.",
        usage: &["export --bundle DIR LABELS... --to FORMAT OUT/ [--control C]"],
        options: &[
            ("--bundle DIR", "the project: its schema, tasks and image sizes"),
            ("LABELS...", "Concord logs (annotator mode's export, or what `concord pull` mirrors) or annotation exports"),
            ("--to FORMAT", "label-studio (one export), doccano (a JSONL per annotator), prodigy (one JSONL, `_annotator_id` per line), coco (a JSON per annotator), cvat (an XML per annotator), voc (a folder per annotator, an XML per image) or yolo (a folder per annotator: classes.txt, labels/)"),
            ("OUT/", "a new or empty folder"),
            ("--control C", "doccano and Prodigy hold one control: this one (default: the first they can hold); the image formats write every box and polygon control"),
        ],
        example: "export --bundle www/demo/news/ ann.jsonl bo.jsonl --to doccano out/",
    },
    CommandHelp {
        name: "bundle",
        summary: "Makes a project bundle: from a CSV of texts or image URLs, one task per row; or from a Label Studio project.",
        usage: &[
            "bundle new ITEMS.csv OUT/ --labels a,b,c [--type T] [--name NAME] [--id ID] [--prompt TEXT] [--control NAME] [--overlap N] [--chunk N]",
            "bundle from-label-studio --config CONFIG.xml EXPORT.json OUT/ [--name NAME] [--id ID]",
            "bundle to-label-studio BUNDLE/ OUT/ [LABELS...] [--image-root URL]",
        ],
        options: &[
            ("ITEMS.csv", "a header, then one item per row: a `text` column or an `image` column (URL or bundle-relative path); optional `id`, `width`, `height`; other columns become the task's meta"),
            ("OUT/", "a new folder (an existing one must be empty): project.json, guidelines.md, tasks/"),
            ("--labels a,b,c", "the labels, in display and hotkey order"),
            ("--type T", "single_choice (default), multi_choice, rating, spans (texts), boxes or polygons (images)"),
            ("--name NAME, --id ID", "the project's name (default: the folder's) and id (default: from the name)"),
            ("--prompt TEXT", "the question shown beside each task"),
            ("--control NAME", "the key of the answer in results (default: label)"),
            ("--overlap N", "annotators per task (default 1)"),
            ("--chunk N", "tasks per chunk file (default 1000)"),
            ("--config CONFIG.xml", "from-label-studio: the project's label config; its Choices, Labels, RectangleLabels, PolygonLabels and Rating become the schema (other controls are listed under `dropped`)"),
            ("EXPORT.json", "from-label-studio: the project's JSON export: its tasks' data, ground truth (the bundle's gold) and predictions"),
            ("BUNDLE/ OUT/", "to-label-studio: writes OUT/label_config.xml and OUT/tasks.json (each task's data with its Concord id as `concord_id`, the bundle's predictions, its gold as ground-truth annotations); what Label Studio cannot hold is listed under `dropped`; a point-cloud bundle's boxes and polygons on a camera go as an image project in OUT/CAMERA/, each frame as that camera's image"),
            ("LABELS...", "to-label-studio: Concord logs or annotation exports, also written as OUT/annotations.json, a Label Studio export"),
            ("--image-root URL", "to-label-studio: put before the bundle's relative image paths (Label Studio loads images by URL)"),
        ],
        example: "bundle new products.csv my-project/ --labels dairy,fruit,bakery --prompt \"Which aisle?\"",
    },
    CommandHelp {
        name: "review",
        summary: "What review mode opens with for a batch of choice labels: every agreement figure, the Dawid–Skene consensus with each annotator's estimated accuracy, the arbitration pool, and accuracy on the hidden gold.",
        usage: &["review FILE... [--gold GOLD.csv] [--pool-agreement A] [--pool-max N]"],
        options: &[
            ("FILE...", "the annotators' labels: long CSVs, Label Studio exports of choices, or Concord logs with --bundle"),
            ("--gold GOLD.csv", "the hidden gold, item,label: accuracy, confusion and per-label scores"),
            ("--pool-agreement A", "an item goes to arbitration below this share of agreeing labels, or tied (default 0.75)"),
            ("--pool-max N", "the most pool items listed, least agreement first; the rest are counted (default 500)"),
            ("--bundle DIR, --control C", "read Concord logs against this bundle's schema (and control)"),
        ],
        example: "review ana.csv ben.csv cai.csv --gold honeypots.csv",
    },
    CommandHelp {
        name: "qc",
        summary: "The QC sample review mode draws from a batch, and with the checks made on it the pass rate, its Wilson interval and the batch's verdict.",
        usage: &["qc FILE... [--bundle DIR] [--rate PERCENT] [--seed S] [--threshold PERCENT] [--checks CHECKS.json]"],
        options: &[
            ("FILE...", "the batch's labels: long CSVs, Label Studio exports of choices, or Concord logs with --bundle"),
            ("--rate PERCENT", "the share of items sampled (default: the bundle's qc_sample_rate with --bundle, else 10)"),
            ("--seed S", "the sample's seed (default: the bundle's seed, else 1): the same seed, the same sample"),
            ("--bundle DIR", "the project: its QC rate and seed (and the schema, for Concord logs)"),
            ("--threshold PERCENT", "the pass rate a batch needs (default 95)"),
            ("--checks CHECKS.json", "the checks made on the sample: a QA report from review mode (`qc_checks`), or a JSON array of checks"),
        ],
        example: "qc labels.csv --rate 10 --seed 7 --checks qa-report.json",
    },
    CommandHelp {
        name: "route",
        summary: "The routing plan review mode shows: each annotator's standing and the overlap their tasks get, the tasks that need more labels (how many, which tier, whether a disagreement escalates, and why), and the model's check on the gold.",
        usage: &["route LABELS.csv --bundle DIR [--gold GOLD.csv] [--version V]... [--limit N]"],
        options: &[
            ("LABELS.csv", "item,annotator,label, with `time` and `guideline_version` columns for standings by version and drift"),
            ("--bundle DIR", "the project: its workflow.routing (defaults without), training gold and predictions"),
            ("--gold GOLD.csv", "hidden gold, item,label: it overrides the training gold"),
            ("--version V", "a guideline version the lead recorded (repeat, oldest first): the last is the current one"),
            ("--limit N", "the most tasks listed (default 100); all are counted"),
        ],
        example: "route labels.csv --bundle www/demo/retail/ --gold honeypots.csv",
    },
    CommandHelp {
        name: "sample",
        summary: "A reproducible QC sample (items, by annotator or by label), the pilot batch, or where hidden gold goes in each queue.",
        usage: &[
            "sample FILE.csv [--rate R | --margin E [--confidence C]] [--seed S] [--by annotator|label]",
            "sample --bundle DIR --pilot",
            "sample --honeypots NAME=N,... --gold-items K [--rate R] [--seed S]",
        ],
        options: &[
            ("--rate R", "the share to sample (default 0.1)"),
            ("--margin E, --confidence C", "size the sample for this margin of error at this confidence (Cochran; default 0.95)"),
            ("--seed S", "the seed: the same seed, the same sample"),
            ("--by annotator|label", "stratify by annotator (annotations) or by majority label (items)"),
            ("--pilot", "the bundle's pilot batch (workflow.pilot.size tasks), stratified by predicted label"),
            ("--honeypots NAME=N,...", "each annotator's queue length; with --gold-items, the slots of hidden gold items"),
        ],
        example: "sample labels.csv --margin 0.05 --seed 7",
    },
    CommandHelp {
        name: "order",
        summary: "A queue order: by model uncertainty, by annotator disagreement, or items where a confident model contradicts the majority.",
        usage: &[
            "order --bundle DIR [--strategy least-confidence|margin|entropy] [--control C]",
            "order FILE.csv --strategy vote-entropy",
            "order FILE.csv --bundle DIR --strategy model-conflict [--min-score P]",
        ],
        options: &[
            ("--strategy S", "least-confidence (default), margin, entropy (the bundle's predictions), vote-entropy (labels), model-conflict"),
            ("--min-score P", "model-conflict: the prediction's least score to count (default 0.9)"),
        ],
        example: "order --bundle www/demo/retail/ --strategy margin",
    },
    CommandHelp {
        name: "drift",
        summary: "Accuracy on gold per annotator over time windows, with the drops that are significant.",
        usage: &["drift FILE.csv --gold GOLD.csv [--window day|week|N] [--alpha A] [--min-drop D] [--bundle DIR]"],
        options: &[
            ("FILE.csv", "item,annotator,label with a `time` column (ISO-8601 or epoch seconds), optionally `guideline_version`"),
            ("--window day|week|N", "the window: a day, a week (default), or N annotations"),
            ("--alpha A", "the significance level of a drop (default 0.001: every window is a test)"),
            ("--min-drop D", "the least drop in accuracy worth flagging (default 0.05)"),
            ("--bundle DIR", "the project whose schema links labels to guideline sections: `versions` (review mode's table per guideline version) files errors and agreement under them"),
        ],
        example: "drift labels.csv --gold gold.csv --window week",
    },
    CommandHelp {
        name: "errors",
        summary: "Error categories of every annotation against its reference (the bundle's gold, or reviewers' fixes), with rule violations.",
        usage: &["errors --bundle DIR ANNOTATIONS.jsonl [--reference REFERENCE.jsonl]"],
        options: &[
            ("--bundle DIR", "the project bundle: schema, rules and gold"),
            ("--reference REFERENCE.jsonl", "compare with these results instead of the bundle's gold"),
        ],
        example: "errors --bundle www/demo/shelf/ alice.jsonl",
    },
    CommandHelp {
        name: "plan",
        summary: "The cheapest mix of annotator tiers and overlap that reaches a target accuracy.",
        usage: &[
            "plan --tiers TIERS.json --classes K --target T [--method mv|ds] [--max-overlap N] [--seed S]",
            "plan --pilot --expected A (--minimum M --classes K [--annotators N] | --bundle DIR) [--risk R] [--decide-by RULE]",
        ],
        options: &[
            ("--tiers TIERS.json", "[{name, cost_per_item, seconds_per_item, accuracy}]; a tier may list `annotators` instead, measured on gold with --labels and --gold"),
            ("--classes K", "the number of labels"),
            ("--target T", "the accuracy to reach, e.g. 0.999"),
            ("--method mv|ds", "how labels are combined (default mv)"),
            ("--labels FILE.csv, --gold GOLD.csv", "measure tiers that list `annotators` on gold"),
            ("--seed S", "the simulation's seed (default 0)"),
            ("--max-overlap N", "the most annotators per item to consider (default 9)"),
            ("--pilot", "instead: how many items a pilot needs so that a team truly at --expected α opens the gate with probability ≥ 1 − R"),
            ("--expected A, --minimum M", "the α the team expects, and the minimum the gate asks (or the bundle's workflow.pilot)"),
            ("--risk R", "the accepted chance of a needless second pilot (default 0.2)"),
            ("--annotators N, --bundle DIR", "annotators per item (default 3); or the design from a bundle: its labels, overlap, minimum and rule"),
            ("--studies S, --replicates N", "simulated pilots per size (default 200) and bootstrap replicates each (default 500)"),
        ],
        example: "plan --tiers tiers.json --classes 20 --target 0.99",
    },
    CommandHelp {
        name: "coverage",
        summary: "How often α's 95 % interval covers the truth: simulated studies with a known population α, for the item bootstrap and Hayes & Krippendorff's.",
        usage: &["coverage [--items 50,200,1000] [--alpha A] [--classes K] [--annotators N] [--studies S] [--replicates N] [--method item|hayes-krippendorff|both] [--markdown]"],
        options: &[
            ("--items LIST", "the study sizes (default 50,200,1000)"),
            ("--alpha A", "the population α (default 0.64): annotators right with probability √A, else a uniform label"),
            ("--classes K, --annotators N", "equally likely labels (default 20) and annotators per item (default 3)"),
            ("--studies S, --replicates N", "studies per size (default 1000), bootstrap replicates each (default 1000)"),
            ("--seed S, --level L", "the simulation's seed (default 7) and the interval's level (default 0.95)"),
            ("--markdown", "print the table instead of JSON"),
        ],
        example: "coverage --items 200 --studies 500",
    },
    CommandHelp {
        name: "pull",
        summary: "Mirrors a sync folder (WebDAV) into DIR: the annotators' log segments under logs/, the lead's files under lead/; only what is new or changed.",
        usage: &["pull URL DIR"],
        options: &[
            ("URL", "the sync folder: https://…, or http:// on this machine"),
            ("DIR", "where to mirror it; DIR/.concord-pull.json remembers what was fetched"),
            ("CONCORD_SYNC_TOKEN", "environment: a bearer token; or CONCORD_SYNC_USER and CONCORD_SYNC_PASSWORD for HTTP Basic"),
        ],
        example: "pull https://dav.example.org/retail/sync/ pulled/ && concord agreement --bundle demo/retail pulled/logs/*/*.jsonl",
    },
];

/// The help of `name`, if it is a command.
pub fn find(name: &str) -> Option<&'static CommandHelp> {
    COMMANDS.iter().find(|c| c.name == name)
}

/// `concord help`: every command's forms, and where to read more.
pub fn overview() -> String {
    let mut s = String::from("concord — data-labeling quality checks\n\nusage:\n");
    for c in COMMANDS {
        for u in c.usage {
            s.push_str(&format!("  concord {u}\n"));
        }
    }
    s.push_str(
        "\n`concord help COMMAND` (or `concord COMMAND --help`) explains a command's options, with an example.\n\
         Output is JSON on stdout; errors go to stderr, naming the file, the line or JSON path, and why (exit code 2).\n",
    );
    s
}

/// `concord help COMMAND`.
pub fn command(c: &CommandHelp) -> String {
    let mut s = format!("concord {} — {}\n\nusage:\n", c.name, c.summary);
    for u in c.usage {
        s.push_str(&format!("  concord {u}\n"));
    }
    s.push_str("\noptions:\n");
    let width = c.options.iter().map(|(o, _)| o.chars().count()).max().unwrap_or(0);
    for (o, what) in c.options {
        s.push_str(&format!("  {o:width$}  {what}\n"));
    }
    s.push_str(&format!("\nexample:\n  concord {}\n", c.example));
    s
}

/// `docs/cli.md`: the same text as Markdown.
pub fn markdown() -> String {
    let mut s = String::from(
        "# The `concord` command line\n\n\
         Generated from the CLI's own help (`concord help --markdown`); `concord help COMMAND` prints the same.\n\
         Every command prints JSON on stdout. Bad input or usage exits with code 2 and a message on stderr that names\n\
         the file, the line or JSON path, and why; anything else that fails exits with 1.\n",
    );
    for c in COMMANDS {
        s.push_str(&format!("\n## `concord {}`\n\n{}\n\n```\n", c.name, c.summary));
        for u in c.usage {
            s.push_str(&format!("concord {u}\n"));
        }
        s.push_str("```\n\n| option | meaning |\n|---|---|\n");
        for (o, what) in c.options {
            s.push_str(&format!("| `{o}` | {} |\n", what.replace('|', "\\|")));
        }
        s.push_str(&format!("\nExample:\n\n```sh\nconcord {}\n```\n", c.example));
    }
    s
}
