//! ZIP containers: entries read back from archives written here by hand (stored), and bad archives refused.

use concord_engine::formats::zip::{zip_entries, STORED};

/// A stored (uncompressed) ZIP of `files`, written from the format's layout (APPNOTE 4.3), CRCs left 0.
fn stored_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for (name, data) in files {
        let offset = out.len() as u32;
        let local = |v: &mut Vec<u8>| {
            v.extend(0x0403_4b50u32.to_le_bytes());
            v.extend([20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // version, flags, method 0, time, date
            v.extend(0u32.to_le_bytes()); // crc
            v.extend((data.len() as u32).to_le_bytes());
            v.extend((data.len() as u32).to_le_bytes());
            v.extend((name.len() as u16).to_le_bytes());
            v.extend(0u16.to_le_bytes());
            v.extend(name.as_bytes());
        };
        local(&mut out);
        out.extend(*data);
        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend([20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // made by, needed, flags, method, time, date
        central.extend(0u32.to_le_bytes());
        central.extend((data.len() as u32).to_le_bytes());
        central.extend((data.len() as u32).to_le_bytes());
        central.extend((name.len() as u16).to_le_bytes());
        central.extend([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // extra, comment, disk, internal, external attrs
        central.extend(offset.to_le_bytes());
        central.extend(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    let cd_len = central.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0, 0, 0, 0]);
    out.extend((files.len() as u16).to_le_bytes());
    out.extend((files.len() as u16).to_le_bytes());
    out.extend(cd_len.to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

#[test]
fn entries_come_back_with_names_and_bytes() {
    let zip = stored_zip(&[
        ("bundle/project.json", b"{}"),
        ("bundle/tasks/000.jsonl", "Zoë 🚀\n".as_bytes()),
        ("bundle/", b""),
    ]);
    let e = zip_entries("b.zip", &zip).unwrap();
    let got: Vec<(&str, &[u8], u16)> = e.iter().map(|x| (x.name.as_str(), x.data, x.method)).collect();
    assert_eq!(
        got,
        vec![("bundle/project.json", &b"{}"[..], STORED), ("bundle/tasks/000.jsonl", "Zoë 🚀\n".as_bytes(), STORED)]
    );
}

#[test]
fn broken_archives_are_refused_with_the_reason() {
    let e = zip_entries("x.zip", b"not a zip at all").unwrap_err();
    assert_eq!(e.file, "x.zip");
    assert!(e.reason.contains("not a ZIP archive"), "{e}");
    let mut zip = stored_zip(&[("a.txt", b"hello")]);
    // Method 12 (bzip2) in the central directory.
    let cd = zip.windows(4).position(|w| w == 0x0201_4b50u32.to_le_bytes()).unwrap();
    zip[cd + 10] = 12;
    assert!(zip_entries("x.zip", &zip).unwrap_err().reason.contains("`a.txt` uses compression method 12"));
    zip[cd + 10] = 0;
    zip[cd + 8] = 1; // encrypted
    assert!(zip_entries("x.zip", &zip).unwrap_err().reason.contains("`a.txt` is encrypted"));
    let whole = stored_zip(&[("a.txt", b"hello")]);
    for cut in [10, whole.len() - 30, whole.len() - 5] {
        assert!(zip_entries("x.zip", &whole[..cut]).is_err(), "cut at {cut}");
    }
}

#[test]
fn a_stored_zip_reads_back_and_its_crcs_are_the_standard_ones() {
    use concord_engine::formats::zip::{crc32, write_stored_zip, zip_entries, STORED};
    // The CRC-32 check value (the "123456789" test vector of the IEEE polynomial).
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    let files = vec![
        ("classes.txt".to_string(), b"car\nperson\n".to_vec()),
        ("labels/é 1.txt".to_string(), b"0 0.5 0.5 0.1 0.1\n".to_vec()),
    ];
    let bytes = write_stored_zip(&files);
    let entries = zip_entries("out.zip", &bytes).unwrap();
    assert_eq!(entries.len(), 2);
    for (e, (name, data)) in entries.iter().zip(&files) {
        assert_eq!((&e.name, e.method, e.data, e.size as usize), (name, STORED, data.as_slice(), data.len()));
    }
    // Python's zipfile (an independent reader) tests every entry's CRC.
    let path = std::env::temp_dir().join(format!("concord-zip-{}.zip", std::process::id()));
    std::fs::write(&path, &bytes).unwrap();
    let checked = std::process::Command::new("python3").args(["-m", "zipfile", "-t"]).arg(&path).output();
    if let Ok(out) = checked {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let _ = std::fs::remove_file(path);
}
