//! Point clouds: one LiDAR sweep as x, y, z (metres, the sensor's frame) and intensity. Read strictly from
//!
//! - KITTI's velodyne `.bin`: headerless little-endian float32 quadruples x, y, z, reflectance (Geiger, Lenz, Stiller
//!   & Urtasun 2013, "Vision meets robotics: the KITTI dataset", IJRR, §III);
//! - PCD, the Point Cloud Library's format (v0.7): a text header (`FIELDS`, `SIZE`, `TYPE`, `COUNT`, `WIDTH`,
//!   `HEIGHT`, `POINTS`, `DATA`), then the points as ASCII lines, packed binary records, or `binary_compressed`
//!   (LZF-compressed columns). Points with a NaN coordinate are PCD's "no return" and are left out.

use crate::error::InputError;

/// A point cloud: x, y, z and intensity per point.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PointCloud {
    /// The points, (x, y, z, intensity).
    pub points: Vec<[f32; 4]>,
}

impl PointCloud {
    /// The number of points.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether it has no point.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The points as KITTI's `.bin` bytes.
    pub fn to_kitti_bin(&self) -> Vec<u8> {
        self.points.iter().flatten().flat_map(|v| v.to_le_bytes()).collect()
    }
}

/// Reads a KITTI velodyne `.bin`: 16 bytes a point; every value finite.
pub fn read_kitti_bin(file: &str, bytes: &[u8]) -> Result<PointCloud, InputError> {
    if !bytes.len().is_multiple_of(16) {
        return Err(InputError::whole(
            file,
            format!(
                "{} bytes is not a whole number of points (16 bytes each: x, y, z, intensity as little-endian float32)",
                bytes.len()
            ),
        ));
    }
    let mut points = Vec::with_capacity(bytes.len() / 16);
    for (i, p) in bytes.chunks_exact(16).enumerate() {
        let v = [0, 4, 8, 12].map(|k| f32::from_le_bytes([p[k], p[k + 1], p[k + 2], p[k + 3]]));
        if let Some(k) = v.iter().position(|x| !x.is_finite()) {
            return Err(InputError::whole(
                file,
                format!("point {i} (byte {}): its {} is {}", i * 16 + k * 4, ["x", "y", "z", "intensity"][k], v[k]),
            ));
        }
        points.push(v);
    }
    Ok(PointCloud { points })
}

/// One PCD field: its name, bytes per value, type (`F`, `I`, `U`) and values per point.
#[derive(Debug, Clone)]
struct Field {
    name: String,
    size: usize,
    kind: u8,
    count: usize,
}

impl Field {
    /// Value `raw` (this field's `size` bytes, little-endian) as f64.
    fn value(&self, raw: &[u8]) -> f64 {
        let mut b = [0u8; 8];
        b[..raw.len()].copy_from_slice(raw);
        match (self.kind, self.size) {
            (b'F', 4) => f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            (b'F', _) => f64::from_le_bytes(b),
            (b'U', _) => u64::from_le_bytes(b) as f64,
            (_, n) => {
                // Sign-extend an n-byte integer.
                let shift = 64 - 8 * n as u32;
                ((i64::from_le_bytes(b) << shift) >> shift) as f64
            }
        }
    }
}

/// Reads a frame's points by its file's name: PCD for `.pcd`, else KITTI `.bin` (the two a bundle's `data.points`
/// may name).
pub fn read_points(file: &str, bytes: &[u8]) -> Result<PointCloud, InputError> {
    if file.to_ascii_lowercase().ends_with(".pcd") {
        read_pcd(file, bytes)
    } else {
        read_kitti_bin(file, bytes)
    }
}

/// Reads a PCD file (ASCII, binary or binary_compressed), keeping x, y, z and an `intensity` (or `i`) field when
/// there is one.
pub fn read_pcd(file: &str, bytes: &[u8]) -> Result<PointCloud, InputError> {
    let mut fields: Vec<Field> = Vec::new();
    let (mut sizes, mut types, mut counts): (Vec<usize>, Vec<u8>, Option<Vec<usize>>) = (vec![], vec![], None);
    let (mut width, mut height, mut declared): (Option<usize>, Option<usize>, Option<usize>) = (None, None, None);
    let mut at = 0usize;
    let mut line_no = 0usize;
    let data = loop {
        if at >= bytes.len() {
            return Err(InputError::at_line(file, line_no.max(1), "the header ends before its DATA line"));
        }
        let end = bytes[at..].iter().position(|b| *b == b'\n').map_or(bytes.len(), |e| at + e);
        line_no += 1;
        let line = std::str::from_utf8(&bytes[at..end])
            .map_err(|_| InputError::at_line(file, line_no, "a header line that is not UTF-8"))?
            .trim();
        at = (end + 1).min(bytes.len());
        let err = |why: String| InputError::at_line(file, line_no, why);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let key = words.next().unwrap_or_default().to_ascii_uppercase();
        let rest: Vec<&str> = words.collect();
        let numbers = |what: &str| -> Result<Vec<usize>, InputError> {
            rest.iter()
                .map(|w| w.parse::<usize>().map_err(|_| err(format!("{what} `{w}` is not a whole number"))))
                .collect()
        };
        let one = |what: &str| -> Result<usize, InputError> {
            match numbers(what)?.as_slice() {
                [n] => Ok(*n),
                _ => Err(err(format!("{what} takes one number"))),
            }
        };
        match key.as_str() {
            "VERSION" | "VIEWPOINT" => {}
            "FIELDS" => {
                fields =
                    rest.iter().map(|n| Field { name: n.to_ascii_lowercase(), size: 0, kind: 0, count: 1 }).collect()
            }
            "SIZE" => sizes = numbers("SIZE")?,
            "TYPE" => {
                types = rest
                    .iter()
                    .map(|t| match *t {
                        "F" | "I" | "U" => Ok(t.as_bytes()[0]),
                        _ => Err(err(format!("TYPE `{t}` is none of F, I, U"))),
                    })
                    .collect::<Result<_, _>>()?
            }
            "COUNT" => counts = Some(numbers("COUNT")?),
            "WIDTH" => width = Some(one("WIDTH")?),
            "HEIGHT" => height = Some(one("HEIGHT")?),
            "POINTS" => declared = Some(one("POINTS")?),
            "DATA" => break (rest.first().copied().unwrap_or_default().to_ascii_lowercase(), line_no),
            _ => return Err(err(format!("`{key}` is not a PCD header entry"))),
        }
    };
    let (kind, data_line) = data;
    let header = |why: String| InputError::at_line(file, data_line, why);
    if fields.is_empty() {
        return Err(header("the header has no FIELDS".into()));
    }
    let n_fields = fields.len();
    let counts = counts.unwrap_or_else(|| vec![1; n_fields]);
    if sizes.len() != n_fields || types.len() != n_fields || counts.len() != n_fields {
        return Err(header(format!(
            "{n_fields} FIELDS but {} SIZE, {} TYPE and {} COUNT values",
            sizes.len(),
            types.len(),
            counts.len()
        )));
    }
    for (k, f) in fields.iter_mut().enumerate() {
        (f.size, f.kind, f.count) = (sizes[k], types[k], counts[k]);
        let fits = match f.kind {
            b'F' => matches!(f.size, 4 | 8),
            _ => matches!(f.size, 1 | 2 | 4 | 8),
        };
        if !fits || f.count == 0 {
            return Err(header(format!(
                "field `{}`: TYPE {} of SIZE {} COUNT {}",
                f.name, f.kind as char, f.size, f.count
            )));
        }
    }
    let points = match (declared, width, height) {
        (Some(p), Some(w), Some(h)) if p == w.saturating_mul(h) => p,
        (Some(p), Some(w), Some(h)) => return Err(header(format!("POINTS {p} is not WIDTH × HEIGHT = {w} × {h}"))),
        (Some(p), Some(w), None) if p == w => p,
        (None, Some(w), Some(h)) => w.saturating_mul(h),
        _ => return Err(header("the header needs POINTS, WIDTH and HEIGHT".into())),
    };
    let find = |names: &[&str]| fields.iter().position(|f| names.contains(&f.name.as_str()));
    let (Some(x), Some(y), Some(z)) = (find(&["x"]), find(&["y"]), find(&["z"])) else {
        return Err(header("FIELDS has no x, y and z".into()));
    };
    let intensity = find(&["intensity", "i", "reflectance"]);
    let wanted = [Some(x), Some(y), Some(z), intensity];
    let record: usize = fields.iter().map(|f| f.size * f.count).sum();
    let offsets = starts(fields.iter().map(|f| f.size * f.count));
    let body = &bytes[at..];
    let mut cloud = PointCloud { points: Vec::with_capacity(points.min(1 << 24)) };
    let mut keep = |values: [f64; 4], which: &dyn Fn() -> String| -> Result<(), InputError> {
        if values[..3].iter().any(|v| v.is_nan()) {
            return Ok(()); // PCD's "no return".
        }
        if let Some(k) = values.iter().position(|v| v.is_infinite() || (v.is_finite() && v.abs() > f64::from(f32::MAX)))
        {
            return Err(InputError::whole(
                file,
                format!("{}: its {} is {}", which(), ["x", "y", "z", "intensity"][k], values[k]),
            ));
        }
        cloud.points.push(values.map(|v| if v.is_nan() { 0.0 } else { v as f32 }));
        Ok(())
    };
    match kind.as_str() {
        "ascii" => {
            let text = std::str::from_utf8(body).map_err(|_| header("ASCII data that is not UTF-8".into()))?;
            let per_line: usize = fields.iter().map(|f| f.count).sum();
            let first_value = starts(fields.iter().map(|f| f.count));
            let mut seen = 0usize;
            for (k, line) in text.lines().enumerate() {
                let line_no = data_line + 1 + k;
                if line.trim().is_empty() {
                    continue;
                }
                if seen == points {
                    return Err(InputError::at_line(file, line_no, format!("more points than POINTS {points}")));
                }
                let values: Vec<&str> = line.split_whitespace().collect();
                if values.len() != per_line {
                    return Err(InputError::at_line(
                        file,
                        line_no,
                        format!("{} values, the header says {per_line}", values.len()),
                    ));
                }
                let v = gather(&wanted, |fi| {
                    let word = values[first_value[fi]];
                    word.parse::<f64>().map_err(|_| {
                        InputError::at_line(file, line_no, format!("`{word}` ({}) is not a number", fields[fi].name))
                    })
                })?;
                keep(v, &|| format!("line {line_no}"))?;
                seen += 1;
            }
            if seen != points {
                return Err(InputError::whole(file, format!("{seen} points, the header says {points}")));
            }
        }
        "binary" => {
            let need = points.checked_mul(record).ok_or_else(|| header("POINTS × record size overflows".into()))?;
            if body.len() != need {
                return Err(InputError::whole(
                    file,
                    format!("{} bytes of binary data; {points} points of {record} bytes are {need}", body.len()),
                ));
            }
            for (i, r) in body.chunks_exact(record.max(1)).enumerate() {
                let v = gather(&wanted, |fi| Ok(fields[fi].value(&r[offsets[fi]..offsets[fi] + fields[fi].size])))?;
                keep(v, &|| format!("point {i}"))?;
            }
        }
        "binary_compressed" => {
            if body.len() < 8 {
                return Err(InputError::whole(file, "binary_compressed data shorter than its 8-byte sizes"));
            }
            let compressed = u32::from_le_bytes([body[0], body[1], body[2], body[3]]) as usize;
            let size = u32::from_le_bytes([body[4], body[5], body[6], body[7]]) as usize;
            let need = points.checked_mul(record).ok_or_else(|| header("POINTS × record size overflows".into()))?;
            if size != need {
                return Err(InputError::whole(
                    file,
                    format!("uncompressed size {size}; {points} points of {record} bytes are {need}"),
                ));
            }
            if body.len() - 8 < compressed {
                return Err(InputError::whole(
                    file,
                    format!("{compressed} compressed bytes declared, {} present", body.len() - 8),
                ));
            }
            let raw = lzf_decompress(&body[8..8 + compressed], size)
                .map_err(|why| InputError::whole(file, format!("binary_compressed data: {why}")))?;
            // Column-major: each field's values for every point, field after field.
            let column = starts(fields.iter().map(|f| f.size * f.count * points));
            for i in 0..points {
                let v = gather(&wanted, |fi| {
                    let f = &fields[fi];
                    let at = column[fi] + i * f.size * f.count;
                    Ok(f.value(&raw[at..at + f.size]))
                })?;
                keep(v, &|| format!("point {i}"))?;
            }
        }
        other => return Err(header(format!("DATA `{other}` is none of ascii, binary, binary_compressed"))),
    }
    Ok(cloud)
}

/// Where each of a run of widths starts: 0, w₀, w₀ + w₁, …
fn starts(widths: impl Iterator<Item = usize>) -> Vec<usize> {
    widths
        .scan(0, |next, w| {
            let at = *next;
            *next += w;
            Some(at)
        })
        .collect()
}

/// x, y, z and intensity of one point: `value` of each wanted field (by index), NaN for a coordinate and 0 for an
/// intensity the file lacks.
fn gather(
    wanted: &[Option<usize>; 4],
    mut value: impl FnMut(usize) -> Result<f64, InputError>,
) -> Result<[f64; 4], InputError> {
    let mut v = [f64::NAN, f64::NAN, f64::NAN, 0.0];
    for (slot, field) in wanted.iter().enumerate() {
        if let Some(fi) = field {
            v[slot] = value(*fi)?;
        }
    }
    Ok(v)
}

/// LZF decompression (Lehmann's liblzf, the codec of PCD's `binary_compressed`), to exactly `size` bytes.
fn lzf_decompress(input: &[u8], size: usize) -> Result<Vec<u8>, String> {
    let mut out: Vec<u8> = Vec::with_capacity(size);
    let mut i = 0;
    while i < input.len() {
        let ctrl = input[i] as usize;
        i += 1;
        if ctrl < 32 {
            // A literal run of ctrl + 1 bytes.
            let n = ctrl + 1;
            if i + n > input.len() || out.len() + n > size {
                return Err(format!("a literal run at byte {} overruns the data", i - 1));
            }
            out.extend_from_slice(&input[i..i + n]);
            i += n;
        } else {
            // A back reference: length (ctrl >> 5) + 2, or more from the next byte; offset from 13 bits.
            let mut len = ctrl >> 5;
            if len == 7 {
                len += *input.get(i).ok_or("a back reference cut short")? as usize;
                i += 1;
            }
            len += 2;
            let low = *input.get(i).ok_or("a back reference cut short")? as usize;
            i += 1;
            let back = ((ctrl & 0x1f) << 8) + low + 1;
            if back > out.len() || out.len() + len > size {
                return Err(format!("a back reference at byte {} points outside the data", i - 2));
            }
            let start = out.len() - back;
            for k in 0..len {
                out.push(out[start + k]);
            }
        }
    }
    if out.len() != size {
        return Err(format!("{} bytes decompressed, {size} declared", out.len()));
    }
    Ok(out)
}

/// The indices of the points inside `cuboid` (its faces included).
pub fn points_inside(cloud: &PointCloud, cuboid: &super::Cuboid) -> Vec<usize> {
    (0..cloud.len())
        .filter(|&i| {
            let p = cloud.points[i];
            cuboid.contains([f64::from(p[0]), f64::from(p[1]), f64::from(p[2])])
        })
        .collect()
}

/// The cuboid's bottom and top fitted to the points over its footprint: it stands on the ground (`ground_z`) and
/// reaches the highest point inside the footprint; only points above `ground_z + clearance` count (returns from the
/// road under an object are not the object), and `None` says there is none. What drawing a cuboid in the
/// bird's-eye view sets its height from.
pub fn fit_height(cloud: &PointCloud, cuboid: &super::Cuboid, ground_z: f64, clearance: f64) -> Option<(f64, f64)> {
    let (s, c) = cuboid.yaw.sin_cos();
    let (hl, hw) = (cuboid.size[0] / 2.0, cuboid.size[1] / 2.0);
    let mut top: Option<f64> = None;
    for p in &cloud.points {
        let (x, y, z) = (f64::from(p[0]), f64::from(p[1]), f64::from(p[2]));
        let (dx, dy) = (x - cuboid.center[0], y - cuboid.center[1]);
        let (u, v) = (dx * c + dy * s, -dx * s + dy * c);
        if u.abs() <= hl && v.abs() <= hw && z > ground_z + clearance {
            top = Some(top.map_or(z, |t: f64| t.max(z)));
        }
    }
    top.map(|t| (ground_z, t))
}

/// A footprint drawn from above, made a cuboid on the points: the ground is the 5th percentile of the heights of
/// the points around the footprint (the road or sidewalk there, robust to a few stray low returns) — within 40 cm
/// first, so that a kerb a step away is not taken for it, then 1, 2.5 and 6 m until at least 5 points are there
/// (the ground beside an object is often hidden by another) — and the height is fitted over the footprint above
/// 15 cm of it ([`fit_height`]). `None` when no point is around, or none over the footprint.
pub fn fit_to_points(cloud: &PointCloud, footprint: &super::Cuboid) -> Option<super::Cuboid> {
    let (s, c) = footprint.yaw.sin_cos();
    // Each point's distance outside the footprint's rectangle, along its two axes (0 inside).
    let outside = |p: &[f32; 4]| {
        let (dx, dy) = (f64::from(p[0]) - footprint.center[0], f64::from(p[1]) - footprint.center[1]);
        let (u, v) = ((dx * c + dy * s).abs(), (-dx * s + dy * c).abs());
        ((u - footprint.size[0] / 2.0).max(0.0), (v - footprint.size[1] / 2.0).max(0.0))
    };
    let ground = [0.4, 1.0, 2.5, 6.0].into_iter().find_map(|margin| {
        let mut heights: Vec<f64> = cloud
            .points
            .iter()
            .filter(|p| {
                let (du, dv) = outside(p);
                (du > 0.0 || dv > 0.0) && du <= margin && dv <= margin
            })
            .map(|p| f64::from(p[2]))
            .collect();
        (heights.len() >= 5).then(|| {
            let k = (heights.len() - 1) * 5 / 100;
            *heights.select_nth_unstable_by(k, f64::total_cmp).1
        })
    })?;
    let (bottom, top) = fit_height(cloud, footprint, ground, 0.15)?;
    let mut fitted = footprint.clone();
    fitted.center[2] = (bottom + top) / 2.0;
    fitted.size[2] = (top - bottom).max(0.1);
    Some(fitted)
}
