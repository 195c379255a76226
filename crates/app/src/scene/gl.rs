//! The WebGL2 renderer of the 3D view: the frame's points (coloured by height and intensity, the selected cuboid's
//! inside highlighted in the vertex shader, so selecting or moving a cuboid rebuilds no buffer) and the cuboids'
//! edges. Points are uploaded once per frame in a shuffled order, so drawing the first `n` is a uniform subsample:
//! the level of detail while the view moves.

use wasm_bindgen::JsCast;
use web_sys::{WebGl2RenderingContext as Gl, WebGlBuffer, WebGlProgram, WebGlUniformLocation, WebGlVertexArrayObject};

use super::matrix::Mat4;

const POINTS_VS: &str = r#"#version 300 es
layout(location = 0) in vec4 a_point;
uniform mat4 u_mvp;
uniform float u_size;
uniform mat4 u_box;
uniform int u_has_box;
out vec3 v_color;
void main() {
    gl_Position = u_mvp * vec4(a_point.xyz, 1.0);
    gl_PointSize = u_size;
    float h = clamp((a_point.z + 2.0) / 4.0, 0.0, 1.0);
    vec3 c = mix(vec3(0.20, 0.45, 0.85), vec3(0.85, 0.95, 0.90), h) * (0.55 + 0.9 * a_point.w);
    if (u_has_box == 1) {
        vec3 l = (u_box * vec4(a_point.xyz, 1.0)).xyz;
        if (all(lessThanEqual(abs(l), vec3(0.5)))) { c = vec3(1.0, 0.85, 0.10); }
    }
    v_color = c;
}"#;

const LINES_VS: &str = r#"#version 300 es
layout(location = 0) in vec3 a_pos;
layout(location = 1) in vec3 a_color;
uniform mat4 u_mvp;
out vec3 v_color;
void main() {
    gl_Position = u_mvp * vec4(a_pos, 1.0);
    v_color = a_color;
}"#;

const FS: &str = r#"#version 300 es
precision mediump float;
in vec3 v_color;
out vec4 o_color;
void main() { o_color = vec4(v_color, 1.0); }"#;

pub struct Renderer {
    gl: Gl,
    points: Program,
    lines: Program,
    point_vao: WebGlVertexArrayObject,
    point_buffer: WebGlBuffer,
    point_count: i32,
    line_vao: WebGlVertexArrayObject,
    line_buffer: WebGlBuffer,
    line_vertices: i32,
}

struct Program {
    program: WebGlProgram,
    mvp: Option<WebGlUniformLocation>,
    size: Option<WebGlUniformLocation>,
    sel: Option<WebGlUniformLocation>,
    has_sel: Option<WebGlUniformLocation>,
}

/// What one draw shows.
pub struct Frame<'a> {
    pub mvp: &'a Mat4,
    /// How many points (the first `n` of the shuffled cloud).
    pub points: i32,
    pub point_size: f32,
    /// The selected cuboid's world-to-box transform.
    pub selected: Option<&'a Mat4>,
}

fn compile(gl: &Gl, vs: &str, fs: &str) -> Result<WebGlProgram, String> {
    let shader = |kind: u32, src: &str| -> Result<web_sys::WebGlShader, String> {
        let s = gl.create_shader(kind).ok_or("no shader")?;
        gl.shader_source(&s, src);
        gl.compile_shader(&s);
        if gl.get_shader_parameter(&s, Gl::COMPILE_STATUS).as_bool() == Some(true) {
            Ok(s)
        } else {
            Err(gl.get_shader_info_log(&s).unwrap_or_default())
        }
    };
    let program = gl.create_program().ok_or("no program")?;
    gl.attach_shader(&program, &shader(Gl::VERTEX_SHADER, vs)?);
    gl.attach_shader(&program, &shader(Gl::FRAGMENT_SHADER, fs)?);
    gl.link_program(&program);
    if gl.get_program_parameter(&program, Gl::LINK_STATUS).as_bool() == Some(true) {
        Ok(program)
    } else {
        Err(gl.get_program_info_log(&program).unwrap_or_default())
    }
}

impl Renderer {
    /// A renderer on the canvas; `Err` says why WebGL2 is not available.
    pub fn new(canvas: &web_sys::HtmlCanvasElement) -> Result<Renderer, String> {
        let gl: Gl = canvas
            .get_context("webgl2")
            .map_err(|_| "this browser refused a WebGL2 context".to_string())?
            .ok_or("this browser has no WebGL2")?
            .unchecked_into();
        let program = |vs: &str| -> Result<Program, String> {
            let program = compile(&gl, vs, FS)?;
            let at = |name: &str| gl.get_uniform_location(&program, name);
            Ok(Program { mvp: at("u_mvp"), size: at("u_size"), sel: at("u_box"), has_sel: at("u_has_box"), program })
        };
        let (points, lines) = (program(POINTS_VS)?, program(LINES_VS)?);
        let vao = || gl.create_vertex_array().ok_or("no vertex array");
        let buffer = || gl.create_buffer().ok_or("no buffer");
        let (point_vao, point_buffer, line_vao, line_buffer) = (vao()?, buffer()?, vao()?, buffer()?);
        gl.bind_vertex_array(Some(&point_vao));
        gl.bind_buffer(Gl::ARRAY_BUFFER, Some(&point_buffer));
        gl.enable_vertex_attrib_array(0);
        gl.vertex_attrib_pointer_with_i32(0, 4, Gl::FLOAT, false, 16, 0);
        gl.bind_vertex_array(Some(&line_vao));
        gl.bind_buffer(Gl::ARRAY_BUFFER, Some(&line_buffer));
        gl.enable_vertex_attrib_array(0);
        gl.vertex_attrib_pointer_with_i32(0, 3, Gl::FLOAT, false, 24, 0);
        gl.enable_vertex_attrib_array(1);
        gl.vertex_attrib_pointer_with_i32(1, 3, Gl::FLOAT, false, 24, 12);
        gl.bind_vertex_array(None);
        Ok(Renderer {
            gl,
            points,
            lines,
            point_vao,
            point_buffer,
            point_count: 0,
            line_vao,
            line_buffer,
            line_vertices: 0,
        })
    }

    /// Uploads a frame's points: x, y, z, intensity each, already shuffled.
    pub fn set_points(&mut self, xyzi: &[f32]) {
        self.gl.bind_buffer(Gl::ARRAY_BUFFER, Some(&self.point_buffer));
        // SAFETY: the view is dropped before anything allocates (no allocation between view and upload).
        unsafe {
            let view = js_sys::Float32Array::view(xyzi);
            self.gl.buffer_data_with_array_buffer_view(Gl::ARRAY_BUFFER, &view, Gl::STATIC_DRAW);
        }
        self.point_count = (xyzi.len() / 4) as i32;
    }

    /// Uploads the lines: pairs of vertices, each x, y, z, r, g, b.
    pub fn set_lines(&mut self, vertices: &[f32]) {
        self.gl.bind_buffer(Gl::ARRAY_BUFFER, Some(&self.line_buffer));
        // SAFETY: as in `set_points`.
        unsafe {
            let view = js_sys::Float32Array::view(vertices);
            self.gl.buffer_data_with_array_buffer_view(Gl::ARRAY_BUFFER, &view, Gl::DYNAMIC_DRAW);
        }
        self.line_vertices = (vertices.len() / 6) as i32;
    }

    pub fn point_count(&self) -> i32 {
        self.point_count
    }

    /// Draws the points and the lines, at the canvas's size in device pixels.
    pub fn draw(&self, width: i32, height: i32, f: &Frame) {
        let gl = &self.gl;
        gl.viewport(0, 0, width, height);
        gl.clear_color(0.07, 0.08, 0.10, 1.0);
        gl.clear(Gl::COLOR_BUFFER_BIT | Gl::DEPTH_BUFFER_BIT);
        gl.enable(Gl::DEPTH_TEST);
        gl.use_program(Some(&self.points.program));
        gl.uniform_matrix4fv_with_f32_array(self.points.mvp.as_ref(), false, f.mvp);
        gl.uniform1f(self.points.size.as_ref(), f.point_size);
        match f.selected {
            Some(m) => {
                gl.uniform_matrix4fv_with_f32_array(self.points.sel.as_ref(), false, m);
                gl.uniform1i(self.points.has_sel.as_ref(), 1);
            }
            None => gl.uniform1i(self.points.has_sel.as_ref(), 0),
        }
        gl.bind_vertex_array(Some(&self.point_vao));
        gl.draw_arrays(Gl::POINTS, 0, f.points.min(self.point_count));
        gl.use_program(Some(&self.lines.program));
        gl.uniform_matrix4fv_with_f32_array(self.lines.mvp.as_ref(), false, f.mvp);
        gl.bind_vertex_array(Some(&self.line_vao));
        // Edges over the points: drawn last, without the depth test.
        gl.disable(Gl::DEPTH_TEST);
        gl.draw_arrays(Gl::LINES, 0, self.line_vertices);
        gl.bind_vertex_array(None);
    }

    /// Waits until the frame is drawn (for measuring a draw: WebGL's calls, `finish` included, return before the
    /// GPU process has drawn; reading a pixel back does not).
    pub fn finish(&self) {
        let mut pixel = [0u8; 4];
        let _ = self.gl.read_pixels_with_opt_u8_array(0, 0, 1, 1, Gl::RGBA, Gl::UNSIGNED_BYTE, Some(&mut pixel));
    }
}
