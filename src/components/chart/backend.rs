//! Two small plotters backends for the chart: the page's `<canvas>` (2D context) and an SVG
//! document for the export. plotters-canvas formats every colour's alpha and every font size
//! as a float (`rgba(r,g,b,0.8)`, `12px`), which links the float formatter (about 6 kB
//! brotli) into a bundle that otherwise has none; these write integers only. The chart draws
//! only lines, rectangles, circles, polygons and text, so that is all they implement well.

use std::f64::consts::PI;

use plotters::prelude::DrawingBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
};

/// The only error: the browser refused a call.
#[derive(Debug)]
pub struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the browser refused to draw")
    }
}

impl std::error::Error for Refused {}

type R = Result<(), DrawingErrorKind<Refused>>;

/// `rgb(1,2,3)`, or `rgba(1,2,3,0.25)` when translucent: integers only.
pub fn css_color(c: BackendColor) -> String {
    let (r, g, b) = c.rgb;
    let a = (c.alpha.clamp(0.0, 1.0) * 100.0).round() as u32;
    if a >= 100 {
        format!("rgb({r},{g},{b})")
    } else {
        format!("rgba({r},{g},{b},0.{a:02})")
    }
}

fn font(style: &impl BackendTextStyle) -> String {
    let weight = match style.style() {
        FontStyle::Bold => "bold ",
        FontStyle::Italic | FontStyle::Oblique => "italic ",
        FontStyle::Normal => "",
    };
    format!(
        "{weight}{}px {}",
        style.size().round() as u32,
        style.family().as_str()
    )
}

/// Draws on a canvas's 2D context.
pub struct Canvas {
    ctx: web_sys::CanvasRenderingContext2d,
    size: (u32, u32),
}

impl Canvas {
    pub fn new(el: &web_sys::HtmlCanvasElement) -> Option<Self> {
        use wasm_bindgen::JsCast;
        let ctx = el.get_context("2d").ok()??.dyn_into().ok()?;
        Some(Canvas {
            ctx,
            size: (el.width(), el.height()),
        })
    }

    fn stroke(&self, style: &impl BackendStyle) {
        self.ctx.set_stroke_style_str(&css_color(style.color()));
        self.ctx.set_line_width(f64::from(style.stroke_width()));
    }

    fn trace(&self, points: impl IntoIterator<Item = BackendCoord>) {
        self.ctx.begin_path();
        for (i, (x, y)) in points.into_iter().enumerate() {
            let (x, y) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
            if i == 0 {
                self.ctx.move_to(x, y);
            } else {
                self.ctx.line_to(x, y);
            }
        }
    }
}

impl DrawingBackend for Canvas {
    type ErrorType = Refused;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> R {
        Ok(())
    }

    fn present(&mut self) -> R {
        Ok(())
    }

    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> R {
        self.ctx.set_fill_style_str(&css_color(c));
        self.ctx.fill_rect(f64::from(p.0), f64::from(p.1), 1.0, 1.0);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, s: &S) -> R {
        self.draw_path([from, to], s)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> R {
        let (x, y) = (f64::from(a.0), f64::from(a.1));
        let (w, h) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
        if fill {
            self.ctx.set_fill_style_str(&css_color(s.color()));
            self.ctx.fill_rect(x, y, w, h);
        } else {
            self.stroke(s);
            self.ctx.stroke_rect(x + 0.5, y + 0.5, w, h);
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> R {
        self.stroke(s);
        self.ctx.set_line_join("round");
        self.trace(path);
        self.ctx.stroke();
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(&mut self, c: BackendCoord, r: u32, s: &S, fill: bool) -> R {
        self.ctx.begin_path();
        self.ctx
            .arc(f64::from(c.0), f64::from(c.1), f64::from(r), 0.0, 2.0 * PI)
            .map_err(|_| DrawingErrorKind::DrawingError(Refused))?;
        if fill {
            self.ctx.set_fill_style_str(&css_color(s.color()));
            self.ctx.fill();
        } else {
            self.stroke(s);
            self.ctx.stroke();
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        s: &S,
    ) -> R {
        self.ctx.set_fill_style_str(&css_color(s.color()));
        self.trace(vert);
        self.ctx.close_path();
        self.ctx.fill();
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, s: &T, pos: BackendCoord) -> R {
        self.ctx.set_font(&font(s));
        self.ctx.set_fill_style_str(&css_color(s.color()));
        self.ctx.set_text_align(match s.anchor().h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "center",
        });
        self.ctx.set_text_baseline(match s.anchor().v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        });
        self.ctx
            .fill_text(text, f64::from(pos.0), f64::from(pos.1))
            .map_err(|_| DrawingErrorKind::DrawingError(Refused))
    }
}

/// Writes an SVG document into a string: integers only, text escaped.
pub struct Svg<'a> {
    size: (u32, u32),
    out: &'a mut String,
}

fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            c => o.push(c),
        }
    }
    o
}

/// The chart as an SVG document of `width` x `height`.
pub fn svg(p: &super::plot::Plot, width: u32, height: u32) -> Result<String, String> {
    use plotters::prelude::IntoDrawingArea;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n"
    );
    {
        let area = Surface::Svg(Svg {
            size: (width, height),
            out: &mut out,
        })
        .into_drawing_area();
        super::plot::draw(&area, p)?;
    }
    out.push_str("</svg>\n");
    Ok(out)
}

impl Svg<'_> {
    fn points(p: impl IntoIterator<Item = BackendCoord>) -> String {
        let v: Vec<String> = p.into_iter().map(|(x, y)| format!("{x},{y}")).collect();
        v.join(" ")
    }
}

impl DrawingBackend for Svg<'_> {
    type ErrorType = Refused;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> R {
        Ok(())
    }

    fn present(&mut self) -> R {
        Ok(())
    }

    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> R {
        self.out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"1\" height=\"1\" fill=\"{}\"/>\n",
            p.0,
            p.1,
            css_color(c)
        ));
        Ok(())
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, s: &S) -> R {
        self.draw_path([from, to], s)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> R {
        let paint = if fill {
            format!("fill=\"{}\"", css_color(s.color()))
        } else {
            format!(
                "fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"",
                css_color(s.color()),
                s.stroke_width()
            )
        };
        self.out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {paint}/>\n",
            a.0,
            a.1,
            b.0 - a.0,
            b.1 - a.1
        ));
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> R {
        self.out.push_str(&format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" stroke-linejoin=\"round\"/>\n",
            Svg::points(path),
            css_color(s.color()),
            s.stroke_width()
        ));
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(&mut self, c: BackendCoord, r: u32, s: &S, fill: bool) -> R {
        let color = css_color(s.color());
        let paint = if fill {
            format!("fill=\"{color}\"")
        } else {
            format!("fill=\"none\" stroke=\"{color}\"")
        };
        self.out.push_str(&format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"{r}\" {paint}/>\n",
            c.0, c.1
        ));
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        s: &S,
    ) -> R {
        self.out.push_str(&format!(
            "<polygon points=\"{}\" fill=\"{}\"/>\n",
            Svg::points(vert),
            css_color(s.color())
        ));
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, s: &T, pos: BackendCoord) -> R {
        let anchor = match s.anchor().h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "middle",
        };
        let baseline = match s.anchor().v_pos {
            VPos::Top => "hanging",
            VPos::Center => "middle",
            VPos::Bottom => "text-after-edge",
        };
        self.out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" dominant-baseline=\"{baseline}\" font-family=\"{}\" font-size=\"{}\" fill=\"{}\">{}</text>\n",
            pos.0,
            pos.1,
            escape(s.family().as_str()),
            s.size().round() as u32,
            css_color(s.color()),
            escape(text)
        ));
        Ok(())
    }
}

/// Either backend, so the chart's drawing code (and plotters' under it) is built once for both.
pub enum Surface<'a> {
    Canvas(Canvas),
    Svg(Svg<'a>),
}

/// Calls `$call` on whichever backend this is.
macro_rules! each {
    ($self:ident, $b:ident => $call:expr) => {
        match $self {
            Surface::Canvas($b) => $call,
            Surface::Svg($b) => $call,
        }
    };
}

impl DrawingBackend for Surface<'_> {
    type ErrorType = Refused;

    fn get_size(&self) -> (u32, u32) {
        each!(self, b => b.get_size())
    }

    fn ensure_prepared(&mut self) -> R {
        Ok(())
    }

    fn present(&mut self) -> R {
        Ok(())
    }

    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> R {
        each!(self, b => b.draw_pixel(p, c))
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, s: &S) -> R {
        each!(self, b => b.draw_line(from, to, s))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        c: BackendCoord,
        s: &S,
        fill: bool,
    ) -> R {
        each!(self, b => b.draw_rect(a, c, s, fill))
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> R {
        each!(self, b => b.draw_path(path, s))
    }

    fn draw_circle<S: BackendStyle>(&mut self, c: BackendCoord, r: u32, s: &S, fill: bool) -> R {
        each!(self, b => b.draw_circle(c, r, s, fill))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        s: &S,
    ) -> R {
        each!(self, b => b.fill_polygon(vert, s))
    }

    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, s: &T, pos: BackendCoord) -> R {
        each!(self, b => b.draw_text(text, s, pos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::chart::plot::{Line, Plot};

    #[test]
    fn score_colors_and_svg_without_floats() {
        let c = |a: f64| BackendColor {
            alpha: a,
            rgb: (1, 2, 3),
        };
        assert_eq!(css_color(c(1.0)), "rgb(1,2,3)");
        assert_eq!(css_color(c(0.25)), "rgba(1,2,3,0.25)");
        assert_eq!(css_color(c(0.05)), "rgba(1,2,3,0.05)");
        let plot = Plot {
            days: (0..3)
                .map(|d| vigil_core::models::DateTime::from_unix(d * 86_400))
                .collect(),
            lines: vec![Line {
                label: "Score <&>".into(),
                color: (1, 2, 3),
                points: vec![Some(1.0), None, Some(3.0)],
                main: true,
            }],
            ..Default::default()
        };
        let doc = svg(&plot, 300, 200).unwrap();
        assert!(doc.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\""));
        assert!(doc.ends_with("</svg>\n"));
        assert!(doc.contains(">Score &lt;&amp;&gt;</text>"), "{doc}");
        // A gap: two separate dots (circles), no polyline joining day 0 and day 2.
        assert_eq!(doc.matches("<circle").count(), 2);
        assert!(!doc.contains("fill=\"rgb(1,2,3)\" stroke"));
    }
}
