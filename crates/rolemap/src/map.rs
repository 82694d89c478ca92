//! A progression map drawn: Graphviz DOT for those who lay it out themselves, and SVG laid out
//! here (bands as rows: above, the role's own level, below, level unknown), with no outside tool.

use std::fmt::Write as _;

use rolemap_service::dto::SimilarDto;

/// Rows of the drawing, top first, and their names.
const ROWS: [(&str, &str); 4] = [
    ("above", "Above"),
    ("same level", "Same level"),
    ("below", "Below"),
    ("level unknown", "Level unknown"),
];

fn dot_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The map in Graphviz DOT: the role, then one cluster per band, an edge to each role labelled
/// with its score (dashed where the framework links them without a shared skill or word).
pub fn dot(map: &SimilarDto) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph progression {{");
    let _ = writeln!(out, "  rankdir=BT;");
    let _ = writeln!(
        out,
        "  node [shape=box, style=rounded, fontname=\"sans-serif\"];"
    );
    let _ = writeln!(
        out,
        "  origin [label={}, style=\"rounded,bold\"];",
        dot_string(&map.role.title)
    );
    for (i, (band, name)) in ROWS.iter().enumerate() {
        let members: Vec<_> = map.neighbours.iter().filter(|n| n.level == *band).collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  subgraph cluster_{i} {{");
        let _ = writeln!(out, "    label={};", dot_string(name));
        for n in &members {
            let _ = writeln!(
                out,
                "    r{} [label={}];",
                n.role.id,
                dot_string(&n.role.title)
            );
        }
        let _ = writeln!(out, "  }}");
        for n in members {
            let mut label = format!("{:.2}", n.score);
            if let Some(link) = &n.link {
                label.push_str(&format!("\n{link}"));
            }
            let style = if n.score > 0.0 { "solid" } else { "dashed" };
            let _ = writeln!(
                out,
                "  origin -> r{} [label={}, style={style}];",
                n.role.id,
                dot_string(&label)
            );
        }
    }
    let _ = writeln!(out, "}}");
    out
}

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A title in at most two lines of about `width` characters, cut with "…" when longer.
fn lines(title: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = vec![String::new()];
    for word in title.split_whitespace() {
        let full = out.len() >= 2;
        let Some(current) = out.last_mut() else {
            break;
        };
        if current.is_empty() || current.chars().count() + 1 + word.chars().count() <= width {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        } else if !full {
            out.push(word.to_owned());
        } else {
            current.push('…');
            break;
        }
    }
    out.into_iter()
        .map(|l| {
            if l.chars().count() > width + 1 {
                let mut cut: String = l.chars().take(width).collect();
                cut.push('…');
                cut
            } else {
                l
            }
        })
        .collect()
}

const WIDTH: f32 = 1000.0;
const BOX_W: f32 = 150.0;
const BOX_H: f32 = 46.0;
const ROW_H: f32 = 130.0;
const LEFT: f32 = 120.0;
const TOP: f32 = 50.0;

/// The map as a standalone SVG: one row per band that has roles (the role itself in its own
/// level's row), a line from the role to each other, thicker the higher the score, dashed where
/// only a link joins them; the score on each box. Titles and a description make it readable to
/// screen readers.
pub fn svg(map: &SimilarDto) -> String {
    // Which rows show: the role's own row always.
    let mut rows: Vec<(&str, &str, Vec<&rolemap_service::dto::NeighbourDto>)> = Vec::new();
    for (band, name) in ROWS {
        let members: Vec<_> = map.neighbours.iter().filter(|n| n.level == band).collect();
        if !members.is_empty() || band == "same level" {
            rows.push((band, name, members));
        }
    }
    let height = TOP + rows.len() as f32 * ROW_H + 20.0;
    let usable = WIDTH - LEFT - 20.0;
    let mut boxes = String::new();
    let mut edges = String::new();
    let mut origin = (0.0f32, 0.0f32);
    let mut placed: Vec<(f32, f32, &rolemap_service::dto::NeighbourDto)> = Vec::new();
    let mut labels = String::new();
    for (row, (band, name, members)) in rows.iter().enumerate() {
        let y = TOP + row as f32 * ROW_H + (ROW_H - BOX_H) / 2.0;
        let _ = writeln!(
            labels,
            r#"<text x="10" y="{:.1}" class="band">{}</text>"#,
            y + BOX_H / 2.0 + 5.0,
            xml(name)
        );
        let mut slots: Vec<Option<&rolemap_service::dto::NeighbourDto>> =
            members.iter().map(|n| Some(*n)).collect();
        if *band == "same level" {
            // The role itself in the middle of its own row.
            let middle = slots.len().div_ceil(2);
            slots.insert(middle, None);
        }
        let n = slots.len().max(1) as f32;
        let step = usable / n;
        let box_w = BOX_W.min(step - 10.0).max(60.0);
        for (i, slot) in slots.iter().enumerate() {
            let x = LEFT + step * i as f32 + (step - box_w) / 2.0;
            match slot {
                None => origin = (x + box_w / 2.0, y + BOX_H / 2.0),
                Some(n) => placed.push((x + box_w / 2.0, y + BOX_H / 2.0, n)),
            }
            let (title, score, class) = match slot {
                None => (map.role.title.as_str(), String::new(), "node origin"),
                Some(n) if n.score == 0.0 && n.link.is_some() => {
                    (n.role.title.as_str(), "linked".to_owned(), "node")
                }
                Some(n) => (n.role.title.as_str(), format!("{:.2}", n.score), "node"),
            };
            let chars = ((box_w - 12.0) / 6.6) as usize;
            let _ = writeln!(
                boxes,
                r#"<g class="{class}"><title>{}</title><rect x="{x:.1}" y="{y:.1}" width="{box_w:.1}" height="{BOX_H}" rx="8"/>"#,
                xml(&match slot {
                    None => format!("{} (this role)", title),
                    Some(n) => format!("{}: {}, score {:.2}", n.role.title, n.level, n.score),
                })
            );
            for (k, line) in lines(title, chars.max(6)).iter().enumerate() {
                let _ = writeln!(
                    boxes,
                    r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                    x + box_w / 2.0,
                    y + 18.0 + k as f32 * 14.0,
                    xml(line)
                );
            }
            if !score.is_empty() {
                let _ = writeln!(
                    boxes,
                    r#"<text x="{:.1}" y="{:.1}" text-anchor="end" class="score">{score}</text>"#,
                    x + box_w - 4.0,
                    y + BOX_H - 4.0
                );
            }
            let _ = writeln!(boxes, "</g>");
        }
    }
    for (x, y, n) in &placed {
        let width = 1.0 + 5.0 * n.score.clamp(0.0, 1.0);
        let dash = if n.score > 0.0 {
            ""
        } else {
            r#" stroke-dasharray="6 4""#
        };
        let _ = writeln!(
            edges,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{x:.1}" y2="{y:.1}" stroke-width="{width:.1}"{dash}/>"#,
            origin.0, origin.1
        );
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0}" width="{WIDTH}" height="{height:.0}" role="img" aria-labelledby="map-title map-desc">"#
    );
    let _ = writeln!(
        out,
        r#"<title id="map-title">Progression map for {}</title>"#,
        xml(&map.role.title)
    );
    let _ = writeln!(
        out,
        r#"<desc id="map-desc">{} roles in bands above, at and below {}'s level. {}</desc>"#,
        map.neighbours.len(),
        xml(&map.role.title),
        xml(&map.formula)
    );
    let _ = writeln!(
        out,
        "<style>.node rect{{fill:#fff;stroke:#1f3b5b;stroke-width:1.5}}.origin rect{{fill:#e8f0f8;stroke-width:3}}text{{font:12px sans-serif;fill:#111}}.band{{font-weight:bold}}.score{{font-size:10px;fill:#444}}line{{stroke:#7a8ca3}}</style>"
    );
    out.push_str("<g>\n");
    out.push_str(&edges);
    out.push_str("</g>\n");
    out.push_str(&labels);
    out.push_str(&boxes);
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_wrap_into_two_lines_and_are_cut() {
        assert_eq!(lines("Team Leader", 20), ["Team Leader"]);
        assert_eq!(
            lines("Front Line Validation and Compliance", 20),
            ["Front Line", "Validation and…"]
        );
        assert_eq!(lines("Supercalifragilisticexpialidocious", 10).len(), 1);
        assert!(lines("Supercalifragilisticexpialidocious", 10)[0].ends_with('…'));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(xml("a < b & \"c\""), "a &lt; b &amp; &quot;c&quot;");
        assert_eq!(dot_string("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
    }
}
