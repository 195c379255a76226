// Type declarations for concord-qa/widgets (browser only). Importing the module defines the three elements.
import type { AgreementReport, AnnotationIn, GoldReport, LabelRecord, RuleFile, Rules, Violation } from './index.js';

interface ConcordWidgetEvents {
  /** The input could not be read or checked; the element also shows the message. */
  'concord-error': CustomEvent<{ message: string }>;
}

/** `<concord-qa-panel>`: set `rules` and `annotation` (validated on every change) or `violations`. */
export class ConcordQaPanel extends HTMLElement {
  rules: RuleFile | Rules | undefined;
  annotation: AnnotationIn | undefined;
  violations: Violation[] | undefined;
  /** Title shown above the list (attribute `heading`); default "Checks". */
  heading: string | undefined;
  /** The violations shown now. */
  readonly result: Violation[] | undefined;
}

export interface ConcordQaPanelEvents extends ConcordWidgetEvents {
  /** After every validation. */
  'concord-validated': CustomEvent<{ violations: Violation[]; blocking: boolean }>;
  /** After a validation that found at least one violation; `blocking` when one is an error. */
  'concord-violation': CustomEvent<{ violations: Violation[]; blocking: boolean }>;
  /** The user chose a violation (click, or Enter/Space on it). */
  'concord-select': CustomEvent<Violation>;
}

/** `<concord-agreement-matrix>`: set `records` (agreement computed here) or an `agreement()` `report`. */
export class ConcordAgreementMatrix extends HTMLElement {
  records: LabelRecord[] | undefined;
  report: AgreementReport | undefined;
  /** `"cohen_kappa"` (default) or `"percent_agreement"` (attribute `measure`). */
  measure: 'cohen_kappa' | 'percent_agreement' | undefined;
  /** The agreement that matters (e.g. the pilot's minimum): pairs whose 95 % interval reaches across it are
   * hatched and say so (attribute `minimum`). */
  minimum: number | string | undefined;
  /** Bootstrap replicates for the intervals when `records` are given (default 1000; 0: none). */
  replicates: number | string | undefined;
}

export interface ConcordAgreementMatrixEvents extends ConcordWidgetEvents {
  /** The user chose a cell (click, or Enter/Space; arrow keys move between cells). */
  'concord-pair-select': CustomEvent<{ a: string; b: string; items: number; measure: string; value: number | null }>;
}

/** `<concord-gold-report>`: set `records` and `gold` (compared here) or a `compareToGold()` `report`. */
export class ConcordGoldReport extends HTMLElement {
  records: LabelRecord[] | undefined;
  gold: Record<string, string | number> | { item: string | number; label: string | number }[] | undefined;
  report: GoldReport | undefined;
}

export interface ConcordGoldReportEvents extends ConcordWidgetEvents {
  'concord-annotator-select': CustomEvent<{ annotator: string; items: number; correct: number; accuracy: number | null }>;
}

declare global {
  interface HTMLElementTagNameMap {
    'concord-qa-panel': ConcordQaPanel;
    'concord-agreement-matrix': ConcordAgreementMatrix;
    'concord-gold-report': ConcordGoldReport;
  }
}
