//! Handwritten digits: scikit-learn's `load_digits` (1,797 real 8×8 scans, 10 classes; `crates/xtask/data/`), each
//! shown as an 8×8 greyscale PNG inline in its task, with its 64 pixels shipped as the task's embedding (f16). The
//! online learner learns the head on them as the annotator labels, so this is the image project whose suggestions
//! come from a model trained in the browser. Every sixth scan is training gold: 299 held-out answers to measure the
//! model on (the reference table in BENCHMARKS.md uses them).

use serde_json::{json, Value};

use super::Files;

const DATA: &str = include_str!("../../data/load_digits.txt");

/// Tasks per chunk (and per embeddings file).
const CHUNK: usize = 500;

const GUIDELINES: &str = r#"# Handwritten digits — guideline

Each task is a scan of one handwritten digit, shown enlarged from 8×8 pixels: pick the digit it shows, **0** to **9**
(the keys are the digits themselves).

## Reading a scan
- Darker pixels hold more ink: each pixel counts the ink in a 4×4 block of the original 32×32 scan.
- Judge the shape as a whole. A **1** may have a flag and a foot; a **7** may be crossed.
- A **4** can be open or closed at the top; a **9** has a closed loop above a stem.

## Hard cases
- **3** and **8**, **5** and **9**, **1** and **7** are the usual confusions: look for a closed loop on the left (8),
  a flat top (5, 7), or a loop at the top (9).
- When a scan is truly unreadable, pick the digit it is most like: every scan in this set is one of the ten.

## The model
- A model learns from your labels as you go, from the pixels alone, and suggests a digit with its confidence.
- A suggestion is a hint; accept it only when you agree.
"#;

/// (pixels 0..16, row by row; digit) for every scan.
pub fn scans() -> Vec<([u8; 64], u8)> {
    DATA.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (pixels, digit) = l.split_once(' ').expect("pixels, a space, the digit");
            let mut px = [0u8; 64];
            for (p, c) in px.iter_mut().zip(pixels.chars()) {
                *p = c.to_digit(17).expect("a base-17 digit") as u8;
            }
            (px, digit.parse().expect("a digit"))
        })
        .collect()
}

pub fn generate() -> Files {
    let scans = scans();
    assert_eq!(scans.len(), 1797, "load_digits has 1,797 scans");
    let mut files = Files::default();
    let mut tasks = Vec::new();
    let mut gold = Vec::new();
    for (n, (px, digit)) in scans.iter().enumerate() {
        let id = format!("d{:04}", n + 1);
        let image = format!("data:image/png;base64,{}", base64(&png_8x8(px)));
        tasks.push(json!({"id": id, "data": {"image": image, "width": 8, "height": 8}}));
        files.truth(&id, json!({"digit": [digit.to_string()]}));
        if n % 6 == 5 {
            gold.push(json!({"task": id, "result": {"digit": [digit.to_string()]}}));
        }
    }
    let chunks = files.chunks(&tasks, CHUNK);
    let mut embedding_files = Vec::new();
    for (i, of_chunk) in scans.chunks(CHUNK).enumerate() {
        let path = format!("embeddings/{i:03}.f16");
        // Pixels / 16: every value k/16 for k in 0..=16 is exact in f16.
        let bytes = of_chunk.iter().flat_map(|(px, _)| px.iter().flat_map(|&p| f16_of_sixteenths(p).to_le_bytes()));
        files.bytes(&path, bytes.collect());
        embedding_files.push(Value::from(path));
    }
    let labels: Vec<Value> = (0..10)
        .map(|d| json!({"value": d.to_string(), "hotkey": d.to_string(), "section": "#reading-a-scan"}))
        .collect();
    files.json(
        "project.json",
        &json!({
            "format": "concord-project",
            "version": 1,
            "id": "digits",
            "name": "Handwritten digits",
            "description": "Tell which digit each 8×8 scan shows (scikit-learn's load_digits, 1,797 real scans); a model learns from the pixels as you label.",
            "schema": {"data": "image", "controls": [{"name": "digit", "type": "single_choice",
                "prompt": "Which digit is this?", "labels": labels}]},
            "guidelines": {"path": "guidelines.md", "version": "1.0", "date": "2026-12-01"},
            "rules": {"path": "rules.json"},
            "workflow": {"overlap": 1, "qc_sample_rate": 0.1, "seed": 1797},
            "tasks": chunks,
            "gold": {"path": "gold.jsonl"},
            "embeddings": {"dimension": 64, "type": "f16", "chunks": embedding_files,
                "source": "the scan's 64 pixels / 16"},
        }),
    );
    files.json(
        "rules.json",
        &json!({"format": "concord-rules", "version": 1, "guidelines_version": "1.0", "rules": [
            {"id": "one-digit", "kind": "count", "control": "digit", "min": 1, "max": 1,
             "severity": "error", "section": "#reading-a-scan", "message": "Pick the digit the scan shows."},
            {"id": "model-disagrees", "kind": "model_conflict", "control": "digit", "min_score": 0.9,
             "severity": "warning", "section": "#the-model",
             "message": "The model is confident about another digit: look again"}
        ]}),
    );
    files.jsonl("gold.jsonl", &gold);
    files.add("guidelines.md", GUIDELINES);
    files
}

/// `k / 16` as IEEE 754 binary16 bits (k in 0..=16).
fn f16_of_sixteenths(k: u8) -> u16 {
    if k == 0 {
        return 0;
    }
    // k/16 = m × 2^e with 1 ≤ m < 2: e = floor(log2 k) − 4.
    let top = 7 - k.leading_zeros() as i32; // floor(log2 k), k < 256
    let exponent = (top - 4 + 15) as u16;
    let mantissa = ((u16::from(k) << (10 - top)) & 0x3ff) as u16;
    (exponent << 10) | mantissa
}

/// A greyscale 8×8 PNG (ink dark on white), deflate in stored blocks: about 140 bytes.
fn png_8x8(px: &[u8; 64]) -> Vec<u8> {
    let mut raw = Vec::with_capacity(72);
    for row in px.chunks(8) {
        raw.push(0); // filter: none
        raw.extend(row.iter().map(|&v| 255 - (u16::from(v) * 255 / 16) as u8));
    }
    let mut zlib = vec![0x78, 0x01, 0x01];
    zlib.extend((raw.len() as u16).to_le_bytes());
    zlib.extend((!(raw.len() as u16)).to_le_bytes());
    zlib.extend(&raw);
    zlib.extend(adler32(&raw).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(concord_engine::formats::zip::crc32(&body).to_be_bytes());
    };
    chunk(b"IHDR", &[0, 0, 0, 8, 0, 0, 0, 8, 8, 0, 0, 0, 0]);
    chunk(b"IDAT", &zlib);
    chunk(b"IEND", &[]);
    out
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &d in data {
        a = (a + u32::from(d)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let n = group.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= group.len() { ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char } else { '=' });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixteenths_are_exact_halves() {
        for k in 0..=16u8 {
            assert_eq!(concord_engine::bundle::f16_to_f32(f16_of_sixteenths(k)), f32::from(k) / 16.0, "{k}");
        }
    }

    #[test]
    fn base64_matches_rfc_4648_test_vectors() {
        for (plain, coded) in
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE=")]
        {
            assert_eq!(base64(plain.as_bytes()), coded);
        }
    }
}
