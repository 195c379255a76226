//! A camera beside the LiDAR: a pinhole model, for drawing a frame's cuboids into its image.
//!
//! Conventions are OpenCV's (and KITTI's and nuScenes'): the camera looks along +z, x to the right of the image,
//! y down. A point p of the sensor's frame is at p_cam = R · p + t in the camera's, and at
//! (fx · x/z + cx, fy · y/z + cy) in the image (Hartley & Zisserman, *Multiple View Geometry*, 2nd ed., §6.1, the
//! finite projective camera K [R | t]).

use serde::{Deserialize, Serialize};

use super::Cuboid;

/// One camera of a frame: its image, its intrinsics and where it is relative to the sensor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Camera {
    /// Its name (`front`, `CAM_FRONT`).
    pub name: String,
    /// The frame's image from it (bundle-relative, like any task image).
    pub image: String,
    /// The image's size in pixels.
    pub width: f64,
    /// The image's height in pixels.
    pub height: f64,
    /// The intrinsic matrix K, row-major: `[[fx, s, cx], [0, fy, cy], [0, 0, 1]]`.
    pub intrinsics: [[f64; 3]; 3],
    /// Sensor to camera, row-major `[R | t]` (3 × 4): p_cam = R · p_sensor + t.
    pub extrinsics: [[f64; 4]; 3],
}

impl Camera {
    /// The point in the camera's frame.
    pub fn to_camera(&self, p: [f64; 3]) -> [f64; 3] {
        let e = &self.extrinsics;
        std::array::from_fn(|r| e[r][0] * p[0] + e[r][1] * p[1] + e[r][2] * p[2] + e[r][3])
    }

    /// Where a point of the sensor's frame falls in the image, in pixels; `None` behind the camera (or on its
    /// plane, closer than 1 cm), where a pinhole sees nothing.
    pub fn project(&self, p: [f64; 3]) -> Option<[f64; 2]> {
        let c = self.to_camera(p);
        if c[2] < 0.01 {
            return None;
        }
        let k = &self.intrinsics;
        let (u, v, w) = (
            k[0][0] * c[0] + k[0][1] * c[1] + k[0][2] * c[2],
            k[1][0] * c[0] + k[1][1] * c[1] + k[1][2] * c[2],
            k[2][0] * c[0] + k[2][1] * c[1] + k[2][2] * c[2],
        );
        Some([u / w, v / w])
    }

    /// The cuboid's eight corners in the image (in `Cuboid::corners` order), or `None` when any is behind the
    /// camera: a box partly behind the image plane has no faithful wireframe, so it is not drawn.
    pub fn project_cuboid(&self, cuboid: &Cuboid) -> Option<[[f64; 2]; 8]> {
        let corners = cuboid.corners();
        let mut out = [[0.0; 2]; 8];
        for (o, c) in out.iter_mut().zip(corners) {
            *o = self.project(c)?;
        }
        Some(out)
    }

    /// Whether its values are usable: finite, a positive image size and focal lengths, K's last row `[0, 0, 1]`.
    pub fn is_valid(&self) -> bool {
        let k = &self.intrinsics;
        self.width > 0.0
            && self.height > 0.0
            && self.intrinsics.iter().flatten().chain(self.extrinsics.iter().flatten()).all(|x| x.is_finite())
            && k[0][0] > 0.0
            && k[1][1] > 0.0
            && k[2] == [0.0, 0.0, 1.0]
    }
}
