// Type declarations for concord-qa. Every result is the same JSON the `concord` CLI prints; a measure that does not
// apply is `null`. Bad input throws an `Error` whose message names the input, the place and the reason.

/** The package version. */
export const version: string;

/** One categorical annotation. Items, annotators and labels may be strings or numbers. */
export interface LabelRecord {
  item: string | number;
  annotator: string | number;
  label: string | number;
}

export interface AgreementOptions {
  /** Label order for the ordered measures (ordinal/interval/ratio alpha, weighted kappa) when labels are not numbers. */
  order?: string[];
  /** Bootstrap replicates for an interval next to each figure (default 0: no intervals; the CLI's default is 1000). */
  replicates?: number;
  /** The bootstrap's seed (default 0): the same seed gives the CLI's intervals. */
  seed?: number;
  /** The intervals' level (default 0.95). */
  level?: number;
  /** Adds `pilot_gate`: does α reach this minimum? */
  minimum?: number;
  /** How the gate reads α (default the interval's lower bound). */
  decideBy?: GateRule;
}

/** As `workflow.pilot.decide_by` in project.json. */
export type GateRule = 'lower_bound' | 'point_estimate' | { risk: number };

/** A bootstrap percentile interval. */
export interface Interval {
  low: number;
  high: number;
  level: number;
  /** The replicates' standard deviation. */
  std_error: number;
  /** Replicates where the figure was defined, and where it was not. */
  replicates: number;
  undefined: number;
}

export interface BelowMinimum {
  name: string;
  value: number;
  interval: Interval | null;
}

export interface PilotGate {
  min_agreement: number;
  rule: GateRule;
  alpha: number | null;
  interval: Interval | null;
  /** The share of bootstrap replicates of α below the minimum. */
  probability_below: number | null;
  open: boolean;
  /** The rule's reading of the evidence, in a sentence. */
  reason: string;
  /** Labels (specific agreement) and pairs (κ) whose interval lies entirely below the minimum, and those it reaches. */
  labels_below: BelowMinimum[];
  labels_uncertain: BelowMinimum[];
  pairs_below: BelowMinimum[];
  pairs_uncertain: BelowMinimum[];
}

export interface PairAgreement {
  a: string;
  b: string;
  items: number;
  percent_agreement: number;
  cohen_kappa: number | null;
  /** With `replicates`: bootstrap over the items the pair shares. */
  percent_agreement_interval: Interval | null;
  cohen_kappa_interval: Interval | null;
}

export interface LabelAgreement {
  count: number;
  specific_agreement: number | null;
  fleiss_kappa: number | null;
  specific_agreement_interval: Interval | null;
  fleiss_kappa_interval: Interval | null;
}

type ByMetric<T> = { nominal: T | null; ordinal: T | null; interval: T | null; ratio: T | null };

export interface AgreementReport {
  items: number;
  annotators: number;
  annotations: number;
  labels: string[];
  percent_agreement: number | null;
  /** Only with exactly two annotators. */
  cohen_kappa: number | null;
  weighted_kappa: { linear: number | null; quadratic: number | null };
  scott_pi: number | null;
  /** Only when every item has the same number (≥ 2) of labels. */
  fleiss_kappa: number | null;
  krippendorff_alpha: { nominal: number | null; ordinal: number | null; interval: number | null; ratio: number | null };
  pairwise: PairAgreement[];
  per_label: Record<string, LabelAgreement>;
  /** Cohen's and weighted κ's asymptotic standard errors and intervals (statsmodels' `cohens_kappa`). */
  cohen_kappa_interval: { std_error: number; low: number; high: number; std_error_null: number } | null;
  weighted_kappa_interval: { linear: object | null; quadratic: object | null };
  /** Fleiss' κ against chance (Fleiss, Nee & Landis 1979). */
  fleiss_kappa_test: { std_error_null: number; z: number } | null;
  /** How the intervals were drawn; null without `replicates`, and every interval null with it. */
  bootstrap: { replicates: number; seed: number; level: number } | null;
  percent_agreement_interval: Interval | null;
  fleiss_kappa_interval: Interval | null;
  /** Item bootstrap: the interval the pilot gate reads. */
  krippendorff_alpha_interval: ByMetric<Interval>;
  /** Hayes & Krippendorff (2007): pairs of values resampled, with their q table (P(α < min)). */
  krippendorff_alpha_hayes_krippendorff: ByMetric<{ interval: Interval; pairs_drawn: number; q_min: { min: number; q: number }[] }>;
  /** With `minimum`. */
  pilot_gate?: PilotGate;
}

/**
 * The columnar form of a categorical table: annotation `k` is item `itemNames[items[k]]`, labelled
 * `labelNames[labels[k]]` by `annotatorNames[annotators[k]]`. Ids are 0-based indexes into the name tables; the three
 * id columns have one entry per annotation; a name listed twice, an id out of range or an annotator twice on one
 * item is an error naming the index.
 */
export interface Columns {
  items: Uint32Array | number[];
  annotators: Uint32Array | number[];
  labels: Uint32Array | number[];
  itemNames: string[];
  annotatorNames: string[];
  labelNames: string[];
}

/**
 * An annotation table held by the engine: built once, then given to `agreement`, `aggregate` and `compareToGold`
 * as often as needed without crossing the JS boundary again. For large data use `fromColumns` or `fromCsv`.
 */
export class Table {
  private constructor();
  static fromRecords(records: LabelRecord[]): Table;
  static fromColumns(columns: Columns): Table;
  /** A long-format CSV (`item,annotator,label`; crowd-kit's `task,worker,label` too), as the CLI reads it. */
  static fromCsv(csv: string | Uint8Array, name?: string): Table;
  /** A CSV Blob or File, streamed into wasm memory. */
  static fromBlob(blob: Blob, name?: string): Promise<Table>;
  /** Item names by id: the order of `aggregateColumns`' per-item arrays. */
  itemNames(): string[];
  /** Label names by id. */
  labelNames(): string[];
  readonly annotations: number;
  readonly items: number;
  /** Releases the table's memory now. */
  free(): void;
}

/** Categorical inter-annotator agreement. */
export function agreement(records: LabelRecord[] | Table, options?: AgreementOptions): AgreementReport;

/** A span: Unicode code points, end-exclusive. */
export interface SpanIn {
  start: number;
  end: number;
  label: string;
}

export interface SpanDocument {
  id: string | number;
  /** When given, spans are checked against its length in code points. */
  text?: string;
  spans: SpanIn[];
}

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
}

export interface SpanPair extends Prf {
  a: string;
  b: string;
  documents: number;
  overlap: Prf;
}

export interface SpanAgreementReport {
  documents: number;
  annotators: number;
  spans: number;
  unit: 'code_points' | 'tokens';
  pairwise: SpanPair[];
  f1: number | null;
  overlap_f1: number | null;
  per_label: Record<string, Prf>;
}

/** Span agreement between every pair of annotators (exact and overlap matching, seqeval semantics). */
export function spanAgreement(docsByAnnotator: Record<string, SpanDocument[]>): SpanAgreementReport;

export interface Accuracy {
  items: number;
  correct: number;
  accuracy: number | null;
  /** Wilson 95 % interval. */
  accuracy_ci95: [number, number] | null;
}

export interface GoldReport {
  annotators: Record<string, Accuracy>;
  overall: Accuracy;
  per_label: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  /** `matrix[gold][given]`, rows and columns in `labels` order. */
  confusion: { labels: string[]; matrix: number[][] };
}

/** Accuracy against gold labels: `{item: label}` or `[{item, label}]`. */
export function compareToGold(
  records: LabelRecord[] | Table,
  gold: Record<string, string | number> | { item: string | number; label: string | number }[],
): GoldReport;

/** COCO instances JSON (ground truth). */
export interface CocoGroundTruth {
  images: { id: number; file_name?: string; width?: number; height?: number }[];
  categories: { id: number; name: string }[];
  annotations: { id?: number; image_id: number; category_id: number; bbox: [number, number, number, number]; area?: number; iscrowd?: 0 | 1 }[];
}

export interface CocoDetection {
  image_id: number;
  category_id: number;
  bbox: [number, number, number, number];
  score: number;
}

/** The twelve numbers of pycocotools' `COCOeval.summarize()` (bbox), −1 where undefined. */
export interface CocoEvalReport {
  AP: number;
  AP50: number;
  AP75: number;
  AP_small: number;
  AP_medium: number;
  AP_large: number;
  AR1: number;
  AR10: number;
  AR100: number;
  AR_small: number;
  AR_medium: number;
  AR_large: number;
  per_category: Record<string, { AP: number }>;
}

export function cocoEval(groundTruth: CocoGroundTruth, detections: CocoDetection[]): CocoEvalReport;

export interface AggregateOptions {
  method: 'mv' | 'wmv' | 'ds';
  /** Dawid–Skene: at most this many EM iterations (default 100). */
  maxIter?: number;
  /** Dawid–Skene: stop when the ELBO per annotation improves by less (default 1e-5). */
  tol?: number;
  /** Tie-break and column order of labels. */
  order?: string[];
  /** Gold labels for `wmv` (gold-weighted majority vote). */
  gold?: Record<string, string | number> | { item: string | number; label: string | number }[];
}

export interface AggregateReport {
  method: 'mv' | 'wmv' | 'ds';
  iterations: number;
  labels: Record<string, string>;
  confidence: Record<string, number>;
  ties: string[];
  priors: Record<string, number>;
  annotators: Record<string, { accuracy: number | null; confusion?: Record<string, Record<string, number>>; weight?: number }>;
  loss_history?: number[];
}

/** Krippendorff's α alone: nominal by default; ordinal, interval and ratio need numeric labels or `order`. */
export function alpha(records: LabelRecord[] | Table, options?: { metric?: 'nominal' | 'ordinal' | 'interval' | 'ratio'; order?: string[] }): number | null;

/** α with its item-bootstrap interval (default 1,000 replicates, seed 0, 95 %: `concord agreement`'s), and with
 * `minimum` the share of replicates below it, P(α < minimum). */
export function alphaInterval(records: LabelRecord[] | Table, options?: {
  metric?: 'nominal' | 'ordinal' | 'interval' | 'ratio'; order?: string[]; replicates?: number; seed?: number; level?: number; minimum?: number;
}): { alpha: number | null; interval: Interval | null; probability_below: number | null };

/** `aggregate`'s report with the per-item result as typed arrays, in the table's item order (`table.itemNames()`). */
export interface AggregateColumnsReport extends Omit<AggregateReport, 'labels' | 'confidence'> {
  /** Per item: an index into `labelNames`, or -1 for an item without annotations. */
  labels: Int32Array;
  confidence: Float64Array;
  labelNames: string[];
}

/** Truth inference on a Table, for large data: no JSON entry per item. */
export function aggregateColumns(table: Table, options?: AggregateOptions): AggregateColumnsReport;

/** Truth inference: majority vote, gold-weighted vote or Dawid–Skene (crowd-kit's conventions). */
export function aggregate(records: LabelRecord[] | Table, options?: AggregateOptions): AggregateReport;

/** A `rules.json` object (format "concord-rules", version 1). */
export interface RuleFile {
  format: 'concord-rules';
  version: 1;
  guidelines_version?: string;
  rules: ({ id: string; kind: string; severity: 'error' | 'warning'; message: string; section?: string } & Record<string, unknown>)[];
}

/** A compiled rule set; plain rule objects passed to `validate` are compiled once and cached. */
export class Rules {
  constructor(ruleFile: RuleFile);
  readonly size: number;
  free(): void;
}

export interface BoxIn {
  x: number;
  y: number;
  w: number;
  h: number;
  label: string;
  attributes?: Record<string, unknown>;
  score?: number;
}

/** A polygon in image pixels: vertices in drawing order, closed implicitly. */
export interface PolygonIn {
  points: [number, number][];
  label: string;
  attributes?: Record<string, unknown>;
  score?: number;
}

/** What one annotation says: control name → chosen labels, spans, boxes or polygons. */
export type TaskResult = Record<string, string[] | SpanIn[] | BoxIn[] | PolygonIn[]>;

export interface AnnotationIn {
  /** The task, for rules that need its text or image size. */
  task?: { id: string; data: { text?: string; image?: string; width?: number; height?: number } };
  result: TaskResult;
  /** A model prediction, for `model_conflict` rules. */
  prediction?: { task: string; model: string; result: TaskResult; scores?: Record<string, Record<string, number>> };
}

export interface Violation {
  rule: string;
  severity: 'error' | 'warning';
  message: string;
  section: string;
  control: string | null;
  /** Index of the offending region in its control's list. */
  region: number | null;
}

/** The instant check: one annotation against the rules. Errors block submission; warnings do not. */
export function validate(annotation: AnnotationIn, ruleset: RuleFile | Rules): Violation[];

export interface ValidationReport {
  annotations: number;
  with_errors: number;
  with_warnings: number;
  by_rule: Record<string, { severity: 'error' | 'warning' | null; section: string; violations: number; annotations: number; rate: number }>;
  by_section: Record<string, { violations: number; annotations: number; rate: number }>;
}

/** Every annotation against the rules: guideline-specific error rates. */
export function validateAll(annotations: AnnotationIn[], ruleset: RuleFile | Rules): ValidationReport;

export interface LabelStudioImport {
  /** The dominant result kind: "polygons", "boxes", "spans", "choices", or null. */
  kind: 'polygons' | 'boxes' | 'spans' | 'choices' | null;
  /** Item-level choices (multi-choice joined by `|`). */
  records: LabelRecord[];
  /** The `ground_truth` annotations' choices. */
  gold: LabelRecord[];
  /** Text spans per annotator, code points. */
  spans: Record<string, SpanDocument[]>;
  /** Rectangles in pixels. */
  boxes: { item: string; annotator: string; label: string; x: number; y: number; w: number; h: number }[];
  /** Closed polygons in pixels (open ones are counted in `skipped_types`). */
  polygons: { item: string; annotator: string; label: string; points: [number, number][] }[];
  cancelled: number;
  skipped_types: Record<string, number>;
}

/** A Label Studio JSON export (object or string) as Concord records. */
export function fromLabelStudio(exportJson: unknown): LabelStudioImport;

/** A Concord schema read from a Label Studio label config. */
export interface LabelStudioSchema {
  schema: { data: 'text' | 'image'; controls: { name: string; type: string; labels: { value: string }[] }[] };
  /** The task data field the labelled object shows (`text` for `value="$text"`). */
  field: string;
  /** The regions' attributes: the config's per-region single choices. */
  attributes: { name: string; type: 'enum' | 'bool' | 'number'; values?: string[] }[];
  /** What the schema cannot hold, one line each. */
  dropped: string[];
}

/** The Concord schema of a Label Studio label config (Choices, Labels, RectangleLabels, PolygonLabels, Rating). */
export function labelStudioSchema(configXml: string): LabelStudioSchema;

/** One annotation's `result` list, as the Label Studio frontend serialises it (`serializeAnnotation()`), as a
 * Concord result of the config's schema, ready for `validate`. `data` is the task's data (span texts). */
export function labelStudioResult(configXml: string, result: unknown[], data?: Record<string, unknown>): TaskResult;

/** The Label Studio label config of a Concord project (its `project.json`, object or text). */
export function labelStudioConfig(project: unknown): { config: string; dropped: string[] };

/** How one submitted annotation compares with its task's gold answer, per control. */
export interface GoldFeedback {
  task: string;
  matches: boolean;
  controls: { control: string; matches: boolean; expected: string; given: string; matched: number; missed: number; extra: number; mislabeled: number }[];
  explanation: string;
  section: string;
}

/** One annotation's result against its task's gold answer (`{task, result}` as in a bundle's gold.jsonl). */
export function goldFeedback(result: TaskResult, gold: { task: string; result: TaskResult; explanation?: string; section?: string }): GoldFeedback;

/** The region agreement between a Label Studio export's annotators on one control (spans, boxes or polygons): the
 * report `concord agreement EXPORT --control C --replicates 0` prints, or null when the control has no regions. */
export function labelStudioRegionAgreement(
  exportJson: unknown,
  control: string,
): { kind: 'spans' | 'boxes' | 'polygons'; report: { pairwise: ({ a: string; b: string } & Record<string, unknown>)[] } & Record<string, unknown> } | null;
