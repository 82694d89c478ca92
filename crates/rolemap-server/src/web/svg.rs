//! Charts drawn as inline SVG: the radar of required against assessed levels on the gap page.
//!
//! Readable without colour: the required polygon is dashed with square markers, the assessed one
//! solid with round markers, and the legend says so in words. A skill not assessed is not a zero:
//! the assessed line breaks there and its marker is hollow, dashed and set apart from the levels,
//! with "not assessed" under the skill's name; a held level of none is a real zero, a filled
//! marker at the centre that the line reaches. The chart has a `<title>` and
//! `<desc>` (named by `aria-labelledby`), each marker a `<title>`, and the page beside it a table
//! with the same numbers. Every piece of text passes through `escape_html`.

use std::fmt::Write;

use rolemap_formats::jd::escape_html as esc;

/// One spoke of the radar: a skill, its scale's top rank, and the two values on it.
#[derive(Debug, Clone, PartialEq)]
pub struct RadarAxis {
    pub label: String,
    /// The number of levels on the skill's scale (at least 1).
    pub max: u8,
    /// The required rank (0 = none).
    pub required: u8,
    /// The assessed rank (0 = assessed as none), or `None` when not assessed at all.
    pub held: Option<u8>,
    /// "Working (W)", "no minimum published"...
    pub required_text: String,
    /// "Practitioner (P), manager, 2026-03-16", "not assessed"...
    pub held_text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Radar {
    pub title: String,
    pub description: String,
    pub required_legend: String,
    pub held_legend: String,
    /// Names of the rings from the centre out, when every axis shares one scale.
    pub ring_labels: Vec<String>,
    pub axes: Vec<RadarAxis>,
}

const WIDTH: f64 = 660.0;
const HEIGHT: f64 = 512.0;
const CX: f64 = 330.0;
const CY: f64 = 215.0;
const R: f64 = 140.0;
// Presentation attributes, so the chart keeps its line styles wherever it is shown.
const REQUIRED_STYLE: &str =
    "fill=\"none\" stroke=\"#1f4e9c\" stroke-width=\"2.5\" stroke-dasharray=\"8 5\"";
const HELD_STYLE: &str =
    "fill=\"#c2410c\" fill-opacity=\"0.15\" stroke=\"#c2410c\" stroke-width=\"2.5\"";
const REQUIRED_MARKER: &str = "fill=\"#ffffff\" stroke=\"#1f4e9c\" stroke-width=\"2\"";
const HELD_MARKER: &str = "fill=\"#c2410c\" stroke=\"#ffffff\" stroke-width=\"1\"";
const HELD_LINE: &str =
    "fill=\"none\" stroke=\"#c2410c\" stroke-width=\"2.5\" stroke-linejoin=\"round\"";
const UNASSESSED_MARKER: &str =
    "fill=\"#ffffff\" stroke=\"#c2410c\" stroke-width=\"1.5\" stroke-dasharray=\"2 2\"";
/// Where along its spoke a not-assessed marker sits: off the centre (a held level of none) and
/// inside the first level, so it reads as apart from every level.
const UNASSESSED_AT: f64 = 0.15;
/// More axes than this and the labels become numbers that follow the table's order.
const MAX_NAMED_AXES: usize = 12;

fn point(i: usize, n: usize, fraction: f64) -> (f64, f64) {
    let angle = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n as f64;
    (
        CX + R * fraction * angle.cos(),
        CY + R * fraction * angle.sin(),
    )
}

fn points(values: impl Iterator<Item = (f64, f64)>) -> String {
    values
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits a label into at most three lines of about `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    if lines.len() > 3 {
        lines.truncate(3);
        lines[2].push('…');
    }
    lines
}

fn fraction(value: u8, max: u8) -> f64 {
    f64::from(value.min(max)) / f64::from(max.max(1))
}

/// The assessed series: a filled polygon when every skill is assessed; otherwise the line drawn
/// only between neighbouring assessed skills, broken where a skill is not assessed, unfilled.
fn held_series(chart: &Radar) -> String {
    let n = chart.axes.len();
    let title = esc(&chart.held_legend);
    let at = |i: usize| {
        chart.axes[i]
            .held
            .map(|h| point(i, n, fraction(h, chart.axes[i].max)))
    };
    if (0..n).all(|i| at(i).is_some()) {
        let held = points((0..n).filter_map(at));
        return format!(
            "<polygon class=\"series held\" {HELD_STYLE} points=\"{held}\"><title>{title}</title></polygon>"
        );
    }
    let mut d = String::new();
    for i in 0..n {
        let next = (i + 1) % n;
        // Two spokes only: one segment, not the same one drawn back.
        if n < 3 && next < i {
            break;
        }
        if let (Some((x1, y1)), Some((x2, y2))) = (at(i), at(next)) {
            let _ = write!(d, "M{x1:.1},{y1:.1} L{x2:.1},{y2:.1} ");
        }
    }
    if d.is_empty() {
        return String::new();
    }
    format!(
        "<path class=\"series held\" {HELD_LINE} d=\"{}\"><title>{title}: the line breaks where a skill is not assessed</title></path>",
        d.trim_end()
    )
}

/// The radar as an `<svg>` element.
pub fn radar(chart: &Radar) -> String {
    let n = chart.axes.len();
    let mut out = String::new();
    let named = n <= MAX_NAMED_AXES;
    let height = HEIGHT;
    let _ = write!(
        out,
        "<svg class=\"radar\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"radar-title radar-desc\">\
         <title id=\"radar-title\">{}</title><desc id=\"radar-desc\">{}</desc>",
        esc(&chart.title),
        esc(&chart.description)
    );
    if n == 0 {
        out.push_str(
            "<text x=\"330\" y=\"215\" text-anchor=\"middle\">This role lists no skills.</text></svg>",
        );
        return out;
    }
    // Rings: one per level when the axes share a scale, else quarters.
    let rings = if chart.ring_labels.is_empty() {
        4
    } else {
        chart.ring_labels.len()
    };
    out.push_str("<g class=\"grid\">");
    for ring in 1..=rings {
        let f = ring as f64 / rings as f64;
        if n >= 3 {
            let _ = write!(
                out,
                "<polygon class=\"ring\" fill=\"none\" stroke=\"#d0d5dd\" points=\"{}\"/>",
                points((0..n).map(|i| point(i, n, f)))
            );
        } else {
            let _ = write!(
                out,
                "<circle class=\"ring\" fill=\"none\" stroke=\"#d0d5dd\" cx=\"{CX}\" cy=\"{CY}\" r=\"{:.1}\"/>",
                R * f
            );
        }
    }
    for i in 0..n {
        let (x, y) = point(i, n, 1.0);
        let _ = write!(
            out,
            "<line class=\"axis\" stroke=\"#aab2bd\" x1=\"{CX}\" y1=\"{CY}\" x2=\"{x:.1}\" y2=\"{y:.1}\"/>"
        );
    }
    out.push_str("</g>");

    // The two series: required dashed with squares, assessed solid with circles.
    let required = points(
        chart
            .axes
            .iter()
            .enumerate()
            .map(|(i, a)| point(i, n, fraction(a.required, a.max))),
    );
    let _ = write!(
        out,
        "<polygon class=\"series required\" {REQUIRED_STYLE} points=\"{required}\"><title>{}</title></polygon>",
        esc(&chart.required_legend),
    );
    out.push_str(&held_series(chart));
    for (i, a) in chart.axes.iter().enumerate() {
        let (x, y) = point(i, n, fraction(a.required, a.max));
        let _ = write!(
            out,
            "<rect class=\"marker required\" {REQUIRED_MARKER} x=\"{:.1}\" y=\"{:.1}\" width=\"9\" height=\"9\"><title>{}: required {}</title></rect>",
            x - 4.5,
            y - 4.5,
            esc(&a.label),
            esc(&a.required_text)
        );
        match a.held {
            Some(held) => {
                let (x, y) = point(i, n, fraction(held, a.max));
                let _ = write!(
                    out,
                    "<circle class=\"marker held\" {HELD_MARKER} cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4.5\"><title>{}: assessed {}</title></circle>",
                    esc(&a.label),
                    esc(&a.held_text)
                );
            }
            None => {
                let (x, y) = point(i, n, UNASSESSED_AT);
                let _ = write!(
                    out,
                    "<circle class=\"marker unassessed\" {UNASSESSED_MARKER} cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"4.5\"><title>{}: not assessed (not a zero)</title></circle>",
                    esc(&a.label),
                );
            }
        }
    }

    // Ring names beside the first spoke, over the series, with a halo to stay legible.
    for (ring, name) in chart.ring_labels.iter().enumerate() {
        let f = (ring + 1) as f64 / rings as f64;
        let _ = write!(
            out,
            "<text class=\"ring-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" paint-order=\"stroke\" stroke=\"#ffffff\" stroke-width=\"3\">{}</text>",
            CX - 7.0,
            CY - R * f + 4.0,
            esc(name)
        );
    }

    // Axis labels, outside the outer ring.
    for (i, a) in chart.axes.iter().enumerate() {
        let angle = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n as f64;
        let (cos, sin) = (angle.cos(), angle.sin());
        let x = CX + (R + 14.0) * cos;
        let y = CY + (R + 14.0) * sin;
        let anchor = if cos.abs() < 0.3 {
            "middle"
        } else if cos > 0.0 {
            "start"
        } else {
            "end"
        };
        let mut lines = if named {
            wrap(&a.label, 18)
        } else {
            vec![(i + 1).to_string()]
        };
        if named && a.held.is_none() {
            lines.push("(not assessed)".to_owned());
        }
        let line_height = 15.0;
        let block = line_height * (lines.len() as f64 - 1.0);
        let first = if sin < -0.7 {
            y - block - 2.0
        } else if sin > 0.7 {
            y + 11.0
        } else {
            y - block / 2.0 + 4.0
        };
        let _ = write!(
            out,
            "<text class=\"axis-label\" x=\"{x:.1}\" y=\"{first:.1}\" text-anchor=\"{anchor}\"><title>{}</title>",
            esc(&a.label)
        );
        for (k, line) in lines.iter().enumerate() {
            let _ = write!(
                out,
                "<tspan x=\"{x:.1}\" dy=\"{}\">{}</tspan>",
                if k == 0 { 0.0 } else { line_height },
                esc(line)
            );
        }
        out.push_str("</text>");
    }

    // Legend: the line style and marker, in words.
    let ly = height - 72.0;
    let _ = write!(
        out,
        "<g class=\"legend\">\
         <line class=\"series required\" {REQUIRED_STYLE} x1=\"20\" y1=\"{ly}\" x2=\"60\" y2=\"{ly}\"/>\
         <rect class=\"marker required\" {REQUIRED_MARKER} x=\"35.5\" y=\"{:.1}\" width=\"9\" height=\"9\"/>\
         <text x=\"70\" y=\"{:.1}\">{} (dashed line, squares)</text>\
         <line class=\"series held\" {HELD_STYLE} x1=\"20\" y1=\"{:.1}\" x2=\"60\" y2=\"{:.1}\"/>\
         <circle class=\"marker held\" {HELD_MARKER} cx=\"40\" cy=\"{:.1}\" r=\"4.5\"/>\
         <text x=\"70\" y=\"{:.1}\">{} (solid line, circles; at the centre: none)</text>",
        ly - 4.5,
        ly + 4.0,
        esc(&chart.required_legend),
        ly + 26.0,
        ly + 26.0,
        ly + 26.0,
        ly + 30.0,
        esc(&chart.held_legend)
    );
    if chart.axes.iter().any(|a| a.held.is_none()) {
        let _ = write!(
            out,
            "<circle class=\"marker unassessed\" {UNASSESSED_MARKER} cx=\"40\" cy=\"{:.1}\" r=\"4.5\"/>\
             <text x=\"70\" y=\"{:.1}\">Not assessed: hollow dashed circle, no line to it (not a zero)</text>",
            ly + 52.0,
            ly + 56.0,
        );
    }
    out.push_str("</g>");
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(label: &str, required: u8, held: u8) -> RadarAxis {
        RadarAxis {
            label: label.to_owned(),
            max: 4,
            required,
            held: Some(held),
            required_text: format!("rank {required}"),
            held_text: format!("rank {held}"),
        }
    }

    fn chart(axes: Vec<RadarAxis>) -> Radar {
        Radar {
            title: "Gap".to_owned(),
            description: "Required against assessed".to_owned(),
            required_legend: "Required".to_owned(),
            held_legend: "Assessed".to_owned(),
            ring_labels: vec!["A".into(), "W".into(), "P".into(), "E".into()],
            axes,
        }
    }

    #[test]
    fn five_axes_give_five_spokes_and_two_series() {
        let svg = radar(&chart(vec![
            axis("Connections and communication", 2, 3),
            axis("Operational leadership and management", 3, 3),
            axis("Adaptability to change", 2, 2),
            axis("Data and insight", 3, 4),
            axis("Delivery and decision making at pace", 3, 1),
        ]));
        assert!(svg.starts_with("<svg"));
        assert!(svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<line class=\"axis\"").count(), 5);
        assert_eq!(svg.matches("<polygon class=\"series").count(), 2);
        assert!(
            !svg.contains("Not assessed"),
            "nothing unassessed, nothing said"
        );
        assert_eq!(svg.matches("<polygon class=\"ring\"").count(), 4);
        assert_eq!(
            svg.matches("<rect class=\"marker required\"").count(),
            5 + 1
        );
        assert_eq!(svg.matches("<circle class=\"marker held\"").count(), 5 + 1);
        assert_eq!(svg.matches("<text class=\"axis-label\"").count(), 5);
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-labelledby=\"radar-title radar-desc\""));
        assert!(svg.contains("dashed line, squares"));
        // Long labels wrap onto several lines.
        assert!(svg.contains(">Operational<") || svg.contains(">Operational leadership<"));
    }

    #[test]
    fn the_first_axis_points_up_and_values_scale_by_their_own_scale() {
        let mut a = axis("One", 4, 2);
        a.max = 4;
        let mut b = axis("Two", 1, 1);
        b.max = 1;
        let svg = radar(&chart(vec![a, b.clone(), b]));
        // Axis 0 tip is straight above the centre.
        assert!(svg.contains(&format!("x2=\"{CX:.1}\" y2=\"{:.1}\"", CY - R)));
        // Required 4 of 4 sits on the outer ring; held 2 of 4 halfway.
        assert!(svg.contains(&format!("{CX:.1},{:.1}", CY - R)));
        assert!(svg.contains(&format!("cx=\"{CX:.1}\" cy=\"{:.1}\"", CY - R / 2.0)));
    }

    #[test]
    fn an_unassessed_skill_breaks_the_line_and_is_hollow_apart_from_a_held_none() {
        let mut unassessed = axis("Data and insight", 3, 0);
        unassessed.held = None;
        let svg = radar(&chart(vec![
            axis("One", 2, 3),
            axis("Two", 3, 0),
            unassessed,
            axis("Four", 3, 4),
        ]));
        // No closed polygon for the assessed levels: a path, broken at the third spoke.
        assert_eq!(svg.matches("<polygon class=\"series").count(), 1);
        let d = svg
            .split("<path class=\"series held\"")
            .nth(1)
            .and_then(|rest| rest.split(" d=\"").nth(1))
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("no held path: {svg}"));
        // Spokes 1-2 and 4-1 joined; nothing drawn to or from spoke 3.
        assert_eq!(d.matches('M').count(), 2, "{d}");
        let (x3, y3) = point(2, 4, UNASSESSED_AT);
        assert!(!d.contains(&format!("{x3:.1},{y3:.1}")), "{d}");
        // Held none ("Two") is a real zero: a filled marker at the centre, on the line.
        assert!(svg.contains(&format!(
            "<circle class=\"marker held\" {HELD_MARKER} cx=\"{CX:.1}\" cy=\"{CY:.1}\""
        )));
        assert!(d.contains(&format!("{CX:.1},{CY:.1}")), "{d}");
        // Not assessed: a hollow marker off the centre, said under the name and in the legend.
        assert!(svg.contains(&format!(
            "<circle class=\"marker unassessed\" {UNASSESSED_MARKER} cx=\"{x3:.1}\" cy=\"{y3:.1}\""
        )));
        assert!(svg.contains("Data and insight: not assessed (not a zero)"));
        assert!(svg.contains(">(not assessed)</tspan>"));
        assert!(svg.contains("Not assessed: hollow dashed circle, no line to it (not a zero)"));
    }

    #[test]
    fn text_is_escaped() {
        let mut c = chart(vec![
            axis("<script>alert('x')</script>", 1, 1),
            axis("R&D \"ops\"", 2, 1),
            axis("Plain", 1, 0),
        ]);
        c.title = "A <b>title</b>".to_owned();
        c.held_legend = "Held & <more>".to_owned();
        let svg = radar(&c);
        assert!(!svg.contains("<script>"));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(svg.contains("R&amp;D &quot;ops&quot;"));
        assert!(svg.contains("Held &amp; &lt;more&gt;"));
    }

    #[test]
    fn many_axes_are_numbered_and_none_is_said_in_words() {
        let axes: Vec<RadarAxis> = (0..20).map(|i| axis(&format!("skill {i}"), 1, 0)).collect();
        let svg = radar(&chart(axes));
        assert_eq!(svg.matches("<line class=\"axis\"").count(), 20);
        assert!(svg.contains("dy=\"0\">20</tspan>"));
        let empty = radar(&chart(Vec::new()));
        assert!(empty.contains("lists no skills"));
    }

    #[test]
    fn wraps_long_labels() {
        assert_eq!(
            wrap("Delivery and decision making at pace", 18),
            vec!["Delivery and", "decision making at", "pace"]
        );
        assert_eq!(
            wrap("one two three four five six seven eight nine ten", 5).len(),
            3
        );
    }
}
