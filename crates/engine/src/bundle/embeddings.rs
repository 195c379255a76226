//! Embedding vectors shipped with a bundle (`project.json`'s `embeddings`): one binary file per task chunk, the
//! chunk's tasks in order, each `dimension` little-endian IEEE 754 values (`f32`, or `f16` at half the size), with no
//! header, so that `numpy`'s `array.astype('<f2').tofile(path)` writes one. This is how an image project gets a model
//! in the browser: the team computes embeddings in its own pipeline, and Concord learns the head.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::InputError;
use crate::model::Task;

/// The type of each stored value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VectorType {
    /// IEEE 754 binary32, 4 bytes.
    F32,
    /// IEEE 754 binary16, 2 bytes.
    F16,
}

impl VectorType {
    /// Bytes per value.
    pub fn width(self) -> usize {
        match self {
            VectorType::F32 => 4,
            VectorType::F16 => 2,
        }
    }
}

/// `project.json`'s `embeddings`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmbeddingsRef {
    /// Values per task.
    pub dimension: usize,
    /// How each value is stored.
    #[serde(rename = "type")]
    pub value_type: VectorType,
    /// One file per task chunk, in the order of `tasks`.
    pub chunks: Vec<String>,
    /// What computed them (shown, and kept with a model trained on them).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

/// The largest dimension a bundle may declare.
pub const MAX_DIMENSION: usize = 1 << 16;

/// The vectors of one chunk's `tasks` from the bytes of its embeddings file, checked: the size must be exactly
/// `tasks × dimension × width`, and every value finite.
pub fn parse_embedding_chunk(
    file: &str,
    bytes: &[u8],
    settings: &EmbeddingsRef,
    tasks: &[Task],
) -> Result<Vec<f32>, InputError> {
    let (dim, width) = (settings.dimension, settings.value_type.width());
    let want = tasks.len() * dim * width;
    if bytes.len() != want {
        return Err(InputError::whole(
            file,
            format!(
                "{} bytes, expected {} tasks × {dim} values × {width} bytes = {want} (one {} vector per task of the \
                 chunk, in order)",
                bytes.len(),
                tasks.len(),
                match settings.value_type {
                    VectorType::F32 => "f32",
                    VectorType::F16 => "f16",
                }
            ),
        ));
    }
    let values: Vec<f32> = match settings.value_type {
        VectorType::F32 => bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect(),
        VectorType::F16 => bytes.chunks_exact(2).map(|b| f16_to_f32(u16::from_le_bytes([b[0], b[1]]))).collect(),
    };
    if let Some(k) = values.iter().position(|v| !v.is_finite()) {
        return Err(InputError::whole(
            file,
            format!(
                "task {} (`{}`), value {}: {} is not a finite number",
                k / dim + 1,
                tasks[k / dim].id,
                k % dim,
                values[k]
            ),
        ));
    }
    Ok(values)
}

/// IEEE 754 binary16 to binary32, exactly (every half is a float): subnormals, infinities and NaN included.
pub fn f16_to_f32(h: u16) -> f32 {
    let sign = u32::from(h >> 15) << 31;
    let exponent = u32::from((h >> 10) & 0x1f);
    let mantissa = u32::from(h & 0x3ff);
    let bits = match (exponent, mantissa) {
        (0, 0) => sign,
        // Subnormal: m × 2^-24, exact in f32.
        (0, m) => {
            let v = m as f32 * f32::powi(2.0, -24);
            return if sign == 0 { v } else { -v };
        }
        (0x1f, m) => sign | 0x7f80_0000 | (m << 13),
        (e, m) => sign | ((e + 127 - 15) << 23) | (m << 13),
    };
    f32::from_bits(bits)
}

/// Every task's vector from the files `project.json` lists, read through `read(path) -> bytes`; `None` when the
/// bundle ships none. `tasks` are the bundle's, in chunk order (as `load_bundle` returns them).
pub fn load_embeddings(
    project: &super::Project,
    tasks: &[Task],
    mut read: impl FnMut(&str) -> Result<Vec<u8>, String>,
) -> Result<Option<Embeddings>, InputError> {
    let Some(settings) = &project.embeddings else { return Ok(None) };
    let mut out = Embeddings::new(settings.dimension);
    let mut first = 0;
    for (chunk, path) in project.tasks.iter().zip(&settings.chunks) {
        let Some(of_chunk) = tasks.get(first..first + chunk.count) else {
            return Err(InputError::whole(path, format!("no tasks for it: chunk `{}` was not read", chunk.path)));
        };
        let bytes = read(path).map_err(|why| InputError::whole(path, why))?;
        out.add(of_chunk, parse_embedding_chunk(path, &bytes, settings, of_chunk)?);
        first += chunk.count;
    }
    Ok(Some(out))
}

/// Every task's vector, by task id.
#[derive(Debug, Clone, Default)]
pub struct Embeddings {
    dimension: usize,
    rows: HashMap<String, usize>,
    values: Vec<f32>,
}

impl Embeddings {
    /// No vectors yet, of `dimension` values each.
    pub fn new(dimension: usize) -> Embeddings {
        Embeddings { dimension, rows: HashMap::new(), values: Vec::new() }
    }

    /// Adds a chunk's vectors (`values` as [`parse_embedding_chunk`] returns them, for `tasks` in order).
    pub fn add(&mut self, tasks: &[Task], values: Vec<f32>) {
        let first = self.values.len() / self.dimension.max(1);
        for (k, t) in tasks.iter().enumerate() {
            self.rows.insert(t.id.clone(), first + k);
        }
        self.values.extend(values);
    }

    /// Values per vector.
    pub fn dimension(&self) -> usize {
        self.dimension
    }

    /// Tasks with a vector.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no task has a vector.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The vector of task `id`.
    pub fn get(&self, id: &str) -> Option<&[f32]> {
        let row = *self.rows.get(id)?;
        self.values.get(row * self.dimension..(row + 1) * self.dimension)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_decode_exactly() {
        // Values from IEEE 754-2008 binary16 examples.
        for (h, f) in [
            (0x0000u16, 0.0f32),
            (0x3c00, 1.0),
            (0xc000, -2.0),
            (0x3555, 0.333_251_95),
            (0x7bff, 65504.0),
            (0x0400, 6.103_515_6e-5),
            (0x0001, 5.960_464_5e-8),
            (0x8001, -5.960_464_5e-8),
            (0x03ff, 6.097_555e-5),
        ] {
            assert_eq!(f16_to_f32(h), f, "{h:#06x}");
        }
        assert_eq!(f16_to_f32(0x7c00), f32::INFINITY);
        assert_eq!(f16_to_f32(0xfc00), f32::NEG_INFINITY);
        assert!(f16_to_f32(0x7e00).is_nan());
        assert!(f16_to_f32(0x8000).is_sign_negative() && f16_to_f32(0x8000) == 0.0);
    }
}
