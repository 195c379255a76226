//! What review and QC found, and the dataset that leaves: errors by category (Pareto) and by guideline section,
//! and the final files — final labels CSV (arbiter > reviewers' fix > consensus), every label with its review
//! (long CSV), and a Label Studio export with the final label as ground truth (`engine::review`).

use std::rc::Rc;

use concord_engine::arbitration::Decision;
use concord_engine::qc::QcCheck;
use concord_engine::review::{error_tally, final_labels, Review};
use concord_engine::review::{final_label_studio, final_labels_csv, reviewed_long_csv};
use yew::prelude::*;

use super::charts::{percent, Bar, Bars};
use super::sync_publish::SyncPublish;
use crate::import::Imported;
use crate::sync::LeadUpload;

/// A final file: its name, its type, and how to make it.
type FinalFile = (&'static str, &'static str, Rc<dyn Fn() -> String>);

#[derive(Properties, PartialEq)]
pub struct Props {
    pub summary: Imported,
    pub reviews: Rc<Vec<Review>>,
    pub checks: Rc<Vec<QcCheck>>,
    pub decisions: Rc<Vec<Decision>>,
}

#[function_component(ReviewOutcome)]
pub fn review_outcome(p: &Props) -> Html {
    let tally = error_tally(&p.reviews, &p.checks);
    let pareto: Vec<Bar> = tally
        .pareto
        .iter()
        .map(|b| Bar {
            label: b.category.replace('_', " "),
            value: Some(b.share),
            interval: None,
            note: format!("{} · {} · cumulative {}", b.count, percent(Some(b.share)), percent(Some(b.cumulative))),
        })
        .collect();
    let sections: Vec<Bar> = tally
        .sections
        .iter()
        .map(|s| Bar {
            label: s.section.clone(),
            value: Some(s.rate),
            interval: None,
            note: format!(
                "{} errors · {} of checked · {}",
                s.errors,
                percent(Some(s.rate)),
                s.categories.iter().map(|(c, n)| format!("{} {n}", c.replace('_', " "))).collect::<Vec<_>>().join(", ")
            ),
        })
        .collect();
    // The three final files, each made on demand: downloaded one by one, or sent together to the sync folder.
    let finals = {
        let (s, r, d) = (p.summary.clone(), p.reviews.clone(), p.decisions.clone());
        Rc::new(move || final_labels(&s.final_from, &r, &d))
    };
    let makers: Rc<Vec<FinalFile>> = {
        let (s, r) = (p.summary.clone(), p.reviews.clone());
        let (s2, r2, f2) = (p.summary.clone(), p.reviews.clone(), finals.clone());
        let f1 = finals.clone();
        Rc::new(vec![
            ("final-labels.csv", "text/csv", Rc::new(move || final_labels_csv(&f1()))),
            ("labels-reviewed.csv", "text/csv", Rc::new(move || reviewed_long_csv(&s.table, &r))),
            (
                "final-label-studio.json",
                "application/json",
                Rc::new(move || final_label_studio(&s2.table, &f2(), &r2, &s2.control)),
            ),
        ])
    };
    let download = |i: usize| {
        let makers = makers.clone();
        Callback::from(move |_: MouseEvent| {
            let (name, mime, make) = &makers[i];
            crate::download::offer(name, &make(), mime)
        })
    };
    let to_sync = {
        let makers = makers.clone();
        Callback::from(move |()| {
            makers
                .iter()
                .map(|(name, mime, make)| LeadUpload {
                    path: format!("{}{name}", concord_engine::sync::FINAL_FOLDER),
                    text: make(),
                    mime,
                })
                .collect()
        })
    };
    html! {
        <section class="review-outcome" aria-label="Errors and final dataset" data-testid="review-outcome">
            <h2>{ "Errors found in review and QC" }</h2>
            <p class="hint" data-testid="error-count" data-errors={tally.errors.to_string()} data-checked={tally.checked.to_string()}>
                { format!("{} errors in {} checked labels and items.", tally.errors, tally.checked) }
            </p>
            if tally.errors > 0 {
                <div class="dashboard">
                    <Bars title="Error categories (Pareto: most frequent first, with the cumulative share)" bars={pareto} testid="chart-pareto" />
                    <Bars title="Errors per guideline section (share of everything checked)" bars={sections} testid="chart-sections" />
                </div>
            }
            <h2>{ "Final dataset" }</h2>
            <p>
                <button type="button" onclick={download(0)} data-testid="download-final">{ "Final labels CSV" }</button>{ " " }
                <button type="button" onclick={download(1)} data-testid="download-reviewed">{ "Every label with its review (CSV)" }</button>{ " " }
                <button type="button" onclick={download(2)} data-testid="download-final-ls">{ "Label Studio JSON (final label as ground truth)" }</button>{ " " }
                <SyncPublish files={to_sync} name="final" />
            </p>
        </section>
    }
}
