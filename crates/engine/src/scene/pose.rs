//! The ego vehicle's pose per frame: where the sensor was in the world, so that motion is measured in the world,
//! not relative to a moving car (a parked car seen from a moving one does not move).

use serde::{Deserialize, Serialize};

/// The sensor's pose in the world at one frame: p_world = R(yaw) · p_sensor + translation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EgoPose {
    /// The frame.
    pub frame: i64,
    /// Seconds, on any clock common to the sequence.
    pub timestamp: f64,
    /// Where the sensor was, metres.
    pub translation: [f64; 3],
    /// Its heading about the vertical axis, radians.
    #[serde(default)]
    pub yaw: f64,
}

impl EgoPose {
    /// A point of the sensor's frame in the world's.
    pub fn to_world(&self, p: [f64; 3]) -> [f64; 3] {
        let (s, c) = self.yaw.sin_cos();
        [
            c * p[0] - s * p[1] + self.translation[0],
            s * p[0] + c * p[1] + self.translation[1],
            p[2] + self.translation[2],
        ]
    }
}
