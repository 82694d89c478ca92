//! A progression map in Graphviz DOT, for those who lay it out themselves; the SVG drawing laid
//! out by rolemap is the progression page's (`rolemap_server::progression_svg`).

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
/// with its score and the cost of the cheapest route there, as heavy as that route is cheap
/// (dashed where no route reaches).
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
            // As on the drawing: the cheaper the route there, the heavier the line; dashed where
            // no route reaches.
            let (style, pen) = match &n.route {
                Some(route) => {
                    label.push_str(&format!("\nroute {:.2}", route.cost));
                    let share = ((1.4 - route.cost) / 1.1).clamp(0.0, 1.0);
                    ("solid", 1.0 + 5.0 * share)
                }
                None => ("dashed", 1.0),
            };
            let _ = writeln!(
                out,
                "  origin -> r{} [label={}, style={style}, penwidth={pen:.1}];",
                n.role.id,
                dot_string(&label)
            );
        }
    }
    let _ = writeln!(out, "}}");
    out
}

/// The map as a standalone SVG document, laid out by rolemap.
pub fn svg(map: &SimilarDto) -> String {
    rolemap_server::progression_svg(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(dot_string("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
    }
}
