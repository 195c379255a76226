//! 4 × 4 matrices for the 3D view, column-major as WebGL reads them: the orbit camera's perspective, the bird's-eye
//! view's orthographic projection, and a cuboid's world-to-box transform (the shader highlights the points inside).

pub type Mat4 = [f32; 16];

pub fn mul(a: &Mat4, b: &Mat4) -> Mat4 {
    let mut out = [0.0; 16];
    for c in 0..4 {
        for r in 0..4 {
            out[c * 4 + r] = (0..4).map(|k| a[k * 4 + r] * b[c * 4 + k]).sum();
        }
    }
    out
}

/// OpenGL's perspective projection (`gluPerspective`).
pub fn perspective(fovy: f32, aspect: f32, near: f32, far: f32) -> Mat4 {
    let f = 1.0 / (fovy / 2.0).tan();
    let nf = 1.0 / (near - far);
    [
        f / aspect,
        0.0,
        0.0,
        0.0,
        0.0,
        f,
        0.0,
        0.0,
        0.0,
        0.0,
        (far + near) * nf,
        -1.0,
        0.0,
        0.0,
        2.0 * far * near * nf,
        0.0,
    ]
}

/// OpenGL's orthographic projection (`glOrtho`).
pub fn ortho(left: f32, right: f32, bottom: f32, top: f32, near: f32, far: f32) -> Mat4 {
    let (w, h, d) = (right - left, top - bottom, far - near);
    [
        2.0 / w,
        0.0,
        0.0,
        0.0,
        0.0,
        2.0 / h,
        0.0,
        0.0,
        0.0,
        0.0,
        -2.0 / d,
        0.0,
        -(right + left) / w,
        -(top + bottom) / h,
        -(far + near) / d,
        1.0,
    ]
}

fn sub(a: [f32; 3], b: [f32; 3]) -> [f32; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn cross(a: [f32; 3], b: [f32; 3]) -> [f32; 3] {
    [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
}

fn dot(a: [f32; 3], b: [f32; 3]) -> f32 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn normalized(a: [f32; 3]) -> [f32; 3] {
    let n = dot(a, a).sqrt().max(1e-12);
    [a[0] / n, a[1] / n, a[2] / n]
}

/// A camera at `eye` looking at `target` (`gluLookAt`).
pub fn look_at(eye: [f32; 3], target: [f32; 3], up: [f32; 3]) -> Mat4 {
    let f = normalized(sub(target, eye));
    let s = normalized(cross(f, up));
    let u = cross(s, f);
    [
        s[0],
        u[0],
        -f[0],
        0.0,
        s[1],
        u[1],
        -f[1],
        0.0,
        s[2],
        u[2],
        -f[2],
        0.0,
        -dot(s, eye),
        -dot(u, eye),
        dot(f, eye),
        1.0,
    ]
}

/// World to the cuboid's unit box: the points inside have every coordinate within ±0.5.
pub fn world_to_box(center: [f64; 3], size: [f64; 3], yaw: f64) -> Mat4 {
    let (s, c) = (yaw.sin() as f32, yaw.cos() as f32);
    let (sx, sy, sz) = (1.0 / size[0] as f32, 1.0 / size[1] as f32, 1.0 / size[2] as f32);
    let t = [-center[0] as f32, -center[1] as f32, -center[2] as f32];
    // scale · rotate(−yaw) · translate(−centre)
    let rx = [c * sx, -s * sy, 0.0];
    let ry = [s * sx, c * sy, 0.0];
    let tx = c * t[0] + s * t[1];
    let ty = -s * t[0] + c * t[1];
    [rx[0], rx[1], 0.0, 0.0, ry[0], ry[1], 0.0, 0.0, 0.0, 0.0, sz, 0.0, tx * sx, ty * sy, t[2] * sz, 1.0]
}
