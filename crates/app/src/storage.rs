//! The annotation log in IndexedDB: one database per project (`concord-log:<project id>`), one object store of
//! events in append order (auto-increment keys, so two tabs appending to the same project interleave instead
//! of overwriting). Each event is stored as its JSONL line: the same text the export writes.

use concord_engine::log::{parse_jsonl, write_jsonl, Event};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{TransactionDurability, TransactionMode, TransactionOptions};

const STORE: &str = "events";

pub struct LogStore {
    db: Database,
}

fn describe(e: impl std::fmt::Display) -> String {
    let text = e.to_string();
    if text.contains("Quota") || text.contains("quota") {
        format!("the browser's storage is full ({text})")
    } else {
        text
    }
}

impl LogStore {
    pub async fn open(project_id: &str) -> Result<LogStore, String> {
        let db = Database::open(format!("concord-log:{project_id}"))
            .with_version(1u8)
            .with_on_upgrade_needed(|event, db| {
                if event.old_version() < 1.0 {
                    db.create_object_store(STORE).with_auto_increment(true).build()?;
                }
                Ok(())
            })
            .await
            .map_err(describe)?;
        Ok(LogStore { db })
    }

    /// Every stored event, in append order. A line that does not parse is reported, never skipped silently.
    pub async fn load(&self) -> Result<Vec<Event>, String> {
        let tx = self.db.transaction(STORE).build().map_err(describe)?;
        let store = tx.object_store(STORE).map_err(describe)?;
        let lines: Vec<String> = store
            .get_all::<String>()
            .primitive()
            .map_err(describe)?
            .await
            .map_err(describe)?
            .collect::<Result<_, _>>()
            .map_err(describe)?;
        let text = lines.join("\n");
        parse_jsonl("IndexedDB log", &text).map_err(|e| e.to_string())
    }

    /// Appends events in one transaction; `Ok` means the browser committed them to disk.
    pub async fn append(&self, events: &[Event]) -> Result<(), String> {
        // Strict durability: the commit is reported only once the browser has flushed it to disk. With the default
        // (relaxed) durability a killed browser lost events it had already acknowledged (the kill test caught it).
        let mut opts = TransactionOptions::new();
        opts.set_durability(TransactionDurability::Strict);
        let tx = self
            .db
            .transaction(STORE)
            .with_mode(TransactionMode::Readwrite)
            .with_options(opts)
            .build()
            .map_err(describe)?;
        let store = tx.object_store(STORE).map_err(describe)?;
        for e in events {
            let line = write_jsonl(std::slice::from_ref(e));
            store.add(line.trim_end().to_string()).primitive().map_err(describe)?;
        }
        tx.commit().await.map_err(describe)
    }
}

/// Review mode's work — QC checks, reviewers' verdicts, arbiters' decisions — in IndexedDB (`concord-review`), one
/// JSON list per key. A write is committed with strict durability before the change is shown as done.
pub struct WorkStore {
    db: Database,
}

const WORK: &str = "work";

impl WorkStore {
    pub async fn open() -> Result<WorkStore, String> {
        Ok(WorkStore { db: open_one_store("concord-review", WORK).await? })
    }

    pub async fn get(&self, key: &str) -> Result<Option<String>, String> {
        let tx = self.db.transaction(WORK).build().map_err(describe)?;
        let store = tx.object_store(WORK).map_err(describe)?;
        store.get::<String, _, _>(key.to_string()).primitive().map_err(describe)?.await.map_err(describe)
    }

    /// Every (key, text) whose key starts with `prefix`, in key order (keys and values of one store come back in
    /// the same order).
    pub async fn all(&self, prefix: &str) -> Result<Vec<(String, String)>, String> {
        let tx = self.db.transaction(WORK).build().map_err(describe)?;
        let store = tx.object_store(WORK).map_err(describe)?;
        let keys: Vec<String> = store
            .get_all_keys::<String>()
            .primitive()
            .map_err(describe)?
            .await
            .map_err(describe)?
            .collect::<Result<_, _>>()
            .map_err(describe)?;
        let values: Vec<String> = store
            .get_all::<String>()
            .primitive()
            .map_err(describe)?
            .await
            .map_err(describe)?
            .collect::<Result<_, _>>()
            .map_err(describe)?;
        Ok(keys.into_iter().zip(values).filter(|(k, _)| k.starts_with(prefix)).collect())
    }

    pub async fn put(&self, key: &str, text: String) -> Result<(), String> {
        let mut opts = TransactionOptions::new();
        opts.set_durability(TransactionDurability::Strict);
        let tx = self
            .db
            .transaction(WORK)
            .with_mode(TransactionMode::Readwrite)
            .with_options(opts)
            .build()
            .map_err(describe)?;
        let store = tx.object_store(WORK).map_err(describe)?;
        store.put(text).with_key(key.to_string()).primitive().map_err(describe)?.await.map_err(describe)?;
        tx.commit().await.map_err(describe)
    }
}

/// A database of one object store, `store`, made on first use (version 1).
async fn open_one_store(name: &str, store: &'static str) -> Result<Database, String> {
    Database::open(name)
        .with_version(1u8)
        .with_on_upgrade_needed(move |event, db| {
            if event.old_version() < 1.0 {
                db.create_object_store(store).build()?;
            }
            Ok(())
        })
        .await
        .map_err(describe)
}

/// Values the browser clones into IndexedDB as they are (a folder handle chosen with the File System Access API),
/// apart from the work store, whose values are all text.
pub struct HandleStore {
    db: Database,
}

const HANDLES: &str = "handles";

impl HandleStore {
    pub async fn open() -> Result<HandleStore, String> {
        Ok(HandleStore { db: open_one_store("concord-handles", HANDLES).await? })
    }

    pub async fn get(&self, key: &str) -> Result<Option<wasm_bindgen::JsValue>, String> {
        let tx = self.db.transaction(HANDLES).build().map_err(describe)?;
        let store = tx.object_store(HANDLES).map_err(describe)?;
        let value = store
            .get::<wasm_bindgen::JsValue, _, _>(key.to_string())
            .primitive()
            .map_err(describe)?
            .await
            .map_err(describe)?;
        Ok(value.filter(|v| !v.is_undefined() && !v.is_null()))
    }

    pub async fn put(&self, key: &str, value: wasm_bindgen::JsValue) -> Result<(), String> {
        let tx = self.db.transaction(HANDLES).with_mode(TransactionMode::Readwrite).build().map_err(describe)?;
        let store = tx.object_store(HANDLES).map_err(describe)?;
        store.put(value).with_key(key.to_string()).primitive().map_err(describe)?.await.map_err(describe)?;
        tx.commit().await.map_err(describe)
    }
}

/// This browser's local storage for the page's origin (small settings: the annotator's name, the queue position);
/// `None` where the browser refuses it.
pub fn local_storage() -> Option<web_sys::Storage> {
    gloo::utils::window().local_storage().ok().flatten()
}
