//! Readers and writers, one file per format. Each reads from bytes (or a `Read`) and either returns everything
//! or an [`crate::InputError`] — never half a dataset.

pub mod csv_long;
