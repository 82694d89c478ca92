//! A role's progression map drawn as SVG, for the progression page and `rolemap progression
//! --format svg`: one band of rows per level (above, the role's own level, below, level unknown),
//! a line from the role to each other role, as heavy as the route there is cheap.
//!
//! What the drawing promises, and how the layout keeps it:
//!
//! * **No line crosses a box.** Boxes sit on one grid of columns, with a gutter between columns
//!   and a channel between rows, and every box of a row is as tall as the row. A line to a role in
//!   the next row runs straight from edge to edge inside the channel between the two rows; a line
//!   to a role of the role's own row turns up into the channel above it; a line to a row further
//!   away runs in the channel next to the role, down (or up) a gutter, and along the channel next
//!   to the other role. Rows are never closer than a channel, so no part of a line enters a box
//!   but the two it joins.
//! * **No label is cut off or overlaps another.** A title wraps onto as many lines as it needs
//!   (a word too long for a line is broken with a hyphen, never cut), and its box and row grow to
//!   hold them; widths are reckoned at a generous 7.2 px a character for 12 px text.
//! * **Line weight is the cheapest route there** (see `routes`): a step up costs least, so the
//!   steps up a person could take are the heaviest, not the most similar roles below. Dashed: no
//!   route of at most 4 steps.
//!
//! Every piece of text passes through `escape_html`; the drawing has a `<title>` and `<desc>`,
//! every box and line a `<title>` that says what it shows.

use std::fmt::Write as _;

use rolemap_formats::jd::escape_html as esc;
use rolemap_service::dto::SimilarDto;

/// The bands, top first: (level as the DTO says it, the band's name).
const BANDS: [(&str, &str); 4] = [
    ("above", "Above"),
    ("same level", "Same level"),
    ("below", "Below"),
    ("level unknown", "Level unknown"),
];

const BOX_W: f32 = 160.0;
/// Room left and right of a title inside its box.
const PAD: f32 = 6.0;
/// A character of 12 px text, reckoned wide so that real text fits (capitals included).
const CHAR_W: f32 = 7.2;
/// A character of the 10 px figures line (the longest, "score 0.91 · route 0.89", fits).
#[cfg(test)]
const SMALL_CHAR_W: f32 = 6.0;
const LINE_H: f32 = 15.0;
/// Above the first title line, and the figures line with the room below it.
const BOX_TOP: f32 = 8.0;
const BOX_FOOT: f32 = 20.0;
/// Between columns (the lines' gutters) and between rows (their channels).
const GUTTER: f32 = 32.0;
const CHANNEL: f32 = 56.0;
/// The band names' column.
const LEFT: f32 = 112.0;
const RIGHT: f32 = 20.0;
const MIN_COLUMNS: usize = 3;
const MAX_COLUMNS: usize = 4;
/// The route costs the line weights run between: this cheap or cheaper is the heaviest line.
const CHEAP: f32 = 0.3;
const DEAR: f32 = 1.4;
const MIN_WEIGHT: f32 = 1.0;
const MAX_WEIGHT: f32 = 6.0;

/// One role on the map besides the map's own role.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MapRole {
    pub title: String,
    /// "above", "same level", "below" or "level unknown".
    pub band: String,
    pub score: f32,
    /// Joined only by a link the framework names (no similarity).
    pub linked_only: bool,
    /// The cheapest route there: (cost, steps).
    pub route: Option<(f32, u32)>,
    /// Where its box links to (on the page: its own progression map); none in a saved file.
    pub href: Option<String>,
}

/// A box placed on the map.
#[derive(Debug, Clone, PartialEq)]
struct Placed {
    x: f32,
    y: f32,
    h: f32,
    lines: Vec<String>,
    figures: String,
    tooltip: String,
    origin: bool,
    href: Option<String>,
}

/// A line from the role to another, as the points of a polyline.
#[derive(Debug, Clone, PartialEq)]
struct Edge {
    points: Vec<(f32, f32)>,
    weight: f32,
    dashed: bool,
    tooltip: String,
}

/// A row of boxes: its band's name on the band's first row, and (column, role) for each box,
/// `None` for the map's own role.
type Row<'a> = (Option<&'a str>, Vec<(usize, Option<&'a MapRole>)>);

#[derive(Debug, Clone, PartialEq)]
struct Layout {
    width: f32,
    height: f32,
    boxes: Vec<Placed>,
    edges: Vec<Edge>,
    /// Band names: (text, x, baseline).
    bands: Vec<(String, f32, f32)>,
    /// The legend's lines and the baseline of the first.
    legend: Vec<String>,
    legend_y: f32,
}

/// The map of a progression answer as a standalone SVG document.
pub fn progression_svg(map: &SimilarDto) -> String {
    progression_svg_with(map, |_| None)
}

/// The map for the progression page: each role's box a link to that role's own map, so a
/// reader can walk on from role to role.
pub(crate) fn progression_svg_linked(map: &SimilarDto) -> String {
    progression_svg_with(map, |role| Some(format!("/roles/{}/progression", role.id)))
}

fn progression_svg_with(
    map: &SimilarDto,
    href: impl Fn(&rolemap_service::dto::RoleSummaryDto) -> Option<String>,
) -> String {
    let roles: Vec<MapRole> = map
        .neighbours
        .iter()
        .map(|n| MapRole {
            // A role of another framework says which: two frameworks may both have an
            // "Operations Manager".
            title: if n.role.framework == map.role.framework {
                n.role.title.clone()
            } else {
                format!("{} ({})", n.role.title, n.role.framework)
            },
            band: n.level.to_owned(),
            score: n.score,
            linked_only: n.score == 0.0 && n.link.is_some(),
            route: n.route.as_ref().map(|r| (r.cost, r.steps)),
            href: href(&n.role),
        })
        .collect();
    render(&map.role.title, &layout(&map.role.title, &roles))
}

/// A line's weight for a route cost: the cheaper, the heavier.
fn weight(route: Option<(f32, u32)>) -> f32 {
    match route {
        Some((cost, _)) => {
            let share = ((DEAR - cost) / (DEAR - CHEAP)).clamp(0.0, 1.0);
            MIN_WEIGHT + (MAX_WEIGHT - MIN_WEIGHT) * share
        }
        None => MIN_WEIGHT,
    }
}

/// Text in lines of at most `width` characters: words kept whole where they fit, a longer word
/// broken with a hyphen; nothing is left out.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(4);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let used = current.chars().count();
            let room = if used == 0 {
                width
            } else {
                width.saturating_sub(used + 1)
            };
            if word.len() <= room {
                if used > 0 {
                    current.push(' ');
                }
                current.extend(word.iter());
                break;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut current));
                continue;
            }
            // A word longer than a whole line: its first part and a hyphen.
            let rest = word.split_off(width - 1);
            current.extend(word.iter());
            current.push('-');
            lines.push(std::mem::take(&mut current));
            word = rest;
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

fn title_chars() -> usize {
    ((BOX_W - 2.0 * PAD) / CHAR_W) as usize
}

/// The columns in the order they fill: the middle first, then outwards, left before right.
fn column_order(columns: usize) -> Vec<usize> {
    let middle = columns / 2;
    let mut order = vec![middle];
    for d in 1..=columns {
        if middle >= d {
            order.push(middle - d);
        }
        if middle + d < columns {
            order.push(middle + d);
        }
    }
    order
}

fn layout(origin: &str, roles: &[MapRole]) -> Layout {
    // The bands shown (the role's own always) and their roles, in the order given.
    let bands: Vec<(&str, Vec<&MapRole>)> = BANDS
        .iter()
        .map(|&(band, name)| (name, roles.iter().filter(|r| r.band == band).collect()))
        .filter(|(name, members): &(&str, Vec<&MapRole>)| {
            !members.is_empty() || *name == "Same level"
        })
        .collect();
    let widest = bands
        .iter()
        .map(|(name, m)| m.len() + usize::from(*name == "Same level"))
        .max()
        .unwrap_or(1);
    let columns = widest.clamp(MIN_COLUMNS, MAX_COLUMNS);
    let order = column_order(columns);
    let column_x = |c: usize| LEFT + c as f32 * (BOX_W + GUTTER);
    let width = column_x(columns - 1) + BOX_W + RIGHT;
    let chars = title_chars();

    // Rows: each a list of (column, role or None for the map's own role), with its band's name
    // on its first row.
    let mut rows: Vec<Row> = Vec::new();
    for (name, members) in &bands {
        let mut slots: Vec<Option<&MapRole>> = members.iter().map(|m| Some(*m)).collect();
        if *name == "Same level" {
            slots.insert(0, None);
        }
        for (k, chunk) in slots.chunks(columns).enumerate() {
            let row = chunk
                .iter()
                .enumerate()
                .map(|(i, slot)| (order[i], *slot))
                .collect();
            rows.push(((k == 0).then_some(*name), row));
        }
    }

    let mut boxes = Vec::new();
    let mut band_labels = Vec::new();
    // Each row's top and bottom; the role's own box and row.
    let mut spans: Vec<(f32, f32)> = Vec::new();
    let mut origin_at = (0usize, 0usize);
    // (box, row, column) of every other role, in the order given.
    let mut others: Vec<(usize, usize, usize, &MapRole)> = Vec::new();
    let mut y = CHANNEL;
    for (r, (name, row)) in rows.iter().enumerate() {
        let texts: Vec<(Vec<String>, String, String)> = row
            .iter()
            .map(|(_, slot)| match slot {
                None => (
                    wrap(origin, chars),
                    "this role".to_owned(),
                    format!("{origin} (this role)"),
                ),
                Some(role) => figures(role),
            })
            .collect();
        let lines = texts.iter().map(|t| t.0.len()).max().unwrap_or(1);
        let h = BOX_TOP + lines as f32 * LINE_H + BOX_FOOT;
        if let Some(name) = name {
            band_labels.push(((*name).to_owned(), 10.0, y + BOX_TOP + 12.0));
        }
        for ((column, slot), (lines, figures, tooltip)) in row.iter().zip(texts) {
            match slot {
                None => origin_at = (boxes.len(), r),
                Some(role) => others.push((boxes.len(), r, *column, role)),
            }
            boxes.push(Placed {
                x: column_x(*column),
                y,
                h,
                lines,
                figures,
                tooltip,
                origin: slot.is_none(),
                href: slot.and_then(|role| role.href.clone()),
            });
        }
        spans.push((y, y + h));
        y += h + CHANNEL;
    }

    // The lines, each in its own lane of the channels and gutters it runs in.
    let (origin_box, origin_row) = origin_at;
    let centre = |b: &Placed| b.x + BOX_W / 2.0;
    let origin_x = centre(&boxes[origin_box]);
    let count = others.len().max(1) as f32;
    let spread = ((BOX_W - 40.0) / count).min(8.0);
    let mut edges = Vec::new();
    for (k, &(b, r, column, role)) in others.iter().enumerate() {
        let target = &boxes[b];
        let start_x = origin_x + (k as f32 - (count - 1.0) / 2.0) * spread;
        let lane = 12.0 + (k % 7) as f32 * 5.0;
        let tx = centre(target);
        let points = if r == origin_row {
            // Up into the channel above the row, across, and down onto the other box.
            let top = spans[r].0;
            let y = top - CHANNEL + lane;
            vec![(start_x, top), (start_x, y), (tx, y), (tx, top)]
        } else {
            let down = r > origin_row;
            let (from_y, to_y) = if down {
                (spans[origin_row].1, spans[r].0)
            } else {
                (spans[origin_row].0, spans[r].1)
            };
            if r.abs_diff(origin_row) == 1 {
                vec![(start_x, from_y), (tx, to_y)]
            } else {
                // Along the channel next to the role, through the gutter beside the other
                // box on the side nearer the role, along the channel next to the other box.
                let left_gutter = column > 0;
                let right_gutter = column + 1 < columns;
                let use_left = left_gutter && (!right_gutter || origin_x <= tx);
                let gutter_x = if use_left {
                    column_x(column) - GUTTER / 2.0
                } else {
                    column_x(column) + BOX_W + GUTTER / 2.0
                };
                let gutter_x = gutter_x + ((k % 5) as f32 - 2.0) * 4.0;
                let (near, far) = if down {
                    (from_y + lane, to_y - CHANNEL + lane)
                } else {
                    (from_y - lane, to_y + CHANNEL - lane)
                };
                vec![
                    (start_x, from_y),
                    (gutter_x, near),
                    (gutter_x, far),
                    (tx, to_y),
                ]
            }
        };
        edges.push(Edge {
            points,
            weight: weight(role.route),
            dashed: role.route.is_none(),
            tooltip: match role.route {
                Some((cost, steps)) => format!(
                    "{origin} to {}: {}, cheapest route cost {cost:.2} in {steps} step{}",
                    role.title,
                    role.band,
                    if steps == 1 { "" } else { "s" }
                ),
                None => format!(
                    "{origin} to {}: {}, no route of at most 4 steps",
                    role.title, role.band
                ),
            },
        });
    }

    // The legend, wrapped to the drawing's width.
    let legend_text = format!(
        "Line weight: the cheapest route from {origin} to the role (steps up cost least; heaviest at cost {CHEAP} or less, lightest at {DEAR} or more). Dashed: no route of at most 4 steps. Score: how alike the two roles are (linked: joined only by a link the framework names)."
    );
    let legend = wrap(&legend_text, ((width - 20.0) / CHAR_W) as usize);
    let legend_y = y - CHANNEL + 30.0;
    let height = legend_y + legend.len() as f32 * LINE_H + 10.0;
    Layout {
        width,
        height,
        boxes,
        edges,
        bands: band_labels,
        legend,
        legend_y,
    }
}

/// A role's title lines, figures line and tooltip.
fn figures(role: &MapRole) -> (Vec<String>, String, String) {
    let score = if role.linked_only {
        "linked".to_owned()
    } else {
        format!("score {:.2}", role.score)
    };
    let route = match role.route {
        Some((cost, _)) => format!("route {cost:.2}"),
        None => "no route".to_owned(),
    };
    let tooltip = match role.route {
        Some((cost, steps)) => format!(
            "{}: {}, {score}, cheapest route cost {cost:.2} in {steps} step{}",
            role.title,
            role.band,
            if steps == 1 { "" } else { "s" }
        ),
        None => format!(
            "{}: {}, {score}, no route of at most 4 steps",
            role.title, role.band
        ),
    };
    (
        wrap(&role.title, title_chars()),
        format!("{score} · {route}"),
        tooltip,
    )
}

fn render(origin: &str, layout: &Layout) -> String {
    let mut out = String::new();
    let (width, height) = (layout.width, layout.height);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="progression-map" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" role="img" aria-labelledby="map-title map-desc">"#
    );
    let _ = writeln!(
        out,
        r#"<title id="map-title">Progression map for {}</title>"#,
        esc(origin)
    );
    let _ = writeln!(
        out,
        r#"<desc id="map-desc">{} roles in bands above, at and below {}'s level. {}</desc>"#,
        layout.boxes.len().saturating_sub(1),
        esc(origin),
        esc(&layout.legend.join(" "))
    );
    // Scoped to the map: on a page the style element applies to the whole document.
    out.push_str("<style>.progression-map .node rect{fill:#fff;stroke:#1f3b5b;stroke-width:1.5}.progression-map .origin rect{fill:#e8f0f8;stroke-width:3}.progression-map text{font:12px sans-serif;fill:#111}.progression-map .band{font-weight:bold}.progression-map .figures{font-size:10px;fill:#444}.progression-map .edges polyline{fill:none;stroke:#5b7391;stroke-linejoin:round}</style>\n");
    out.push_str("<g class=\"edges\">\n");
    for edge in &layout.edges {
        let points: Vec<String> = edge
            .points
            .iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        let dash = if edge.dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = writeln!(
            out,
            r#"<polyline points="{}" stroke-width="{:.1}"{dash}><title>{}</title></polyline>"#,
            points.join(" "),
            edge.weight,
            esc(&edge.tooltip)
        );
    }
    out.push_str("</g>\n");
    for (name, x, y) in &layout.bands {
        let _ = writeln!(
            out,
            r#"<text x="{x:.1}" y="{y:.1}" class="band">{}</text>"#,
            esc(name)
        );
    }
    for b in &layout.boxes {
        let class = if b.origin { "node origin" } else { "node" };
        let _ = writeln!(
            out,
            r#"<g class="{class}"><title>{}</title>"#,
            esc(&b.tooltip)
        );
        // The whole box is the link, not just its words.
        if let Some(href) = &b.href {
            let _ = write!(out, r#"<a href="{}">"#, esc(href));
        }
        let _ = writeln!(
            out,
            r#"<rect x="{:.1}" y="{:.1}" width="{BOX_W}" height="{:.1}" rx="8"/>"#,
            b.x, b.y, b.h
        );
        let cx = b.x + BOX_W / 2.0;
        for (k, line) in b.lines.iter().enumerate() {
            let _ = writeln!(
                out,
                r#"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" class="title">{}</text>"#,
                b.y + BOX_TOP + 12.0 + k as f32 * LINE_H,
                esc(line)
            );
        }
        let _ = writeln!(
            out,
            r#"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" class="figures">{}</text>"#,
            b.y + b.h - 7.0,
            esc(&b.figures)
        );
        if b.href.is_some() {
            out.push_str("</a>");
        }
        out.push_str("</g>\n");
    }
    for (k, line) in layout.legend.iter().enumerate() {
        let _ = writeln!(
            out,
            r#"<text x="10" y="{:.1}" class="map-legend">{}</text>"#,
            layout.legend_y + k as f32 * LINE_H,
            esc(line)
        );
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(title: &str, band: &str, score: f32, route: Option<(f32, u32)>) -> MapRole {
        MapRole {
            title: title.to_owned(),
            band: band.to_owned(),
            score,
            linked_only: false,
            route,
            href: None,
        }
    }

    /// Whether the segment from `a` to `b` enters the inside of the box (its edges excepted).
    fn crosses(a: (f32, f32), b: (f32, f32), p: &Placed) -> bool {
        let (x0, y0, x1, y1) = (p.x + 0.5, p.y + 0.5, p.x + BOX_W - 0.5, p.y + p.h - 0.5);
        // Liang-Barsky clipping of the segment against the shrunk box.
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let mut t0: f32 = 0.0;
        let mut t1: f32 = 1.0;
        for (q, r) in [
            (-dx, a.0 - x0),
            (dx, x1 - a.0),
            (-dy, a.1 - y0),
            (dy, y1 - a.1),
        ] {
            if q == 0.0 {
                if r < 0.0 {
                    return false;
                }
            } else {
                let t = r / q;
                if q < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
            }
        }
        t0 < t1
    }

    /// Checks every promise the module makes of a layout.
    fn check(layout: &Layout, roles: &[MapRole]) {
        for (e, edge) in layout.edges.iter().enumerate() {
            for pair in edge.points.windows(2) {
                for (b, placed) in layout.boxes.iter().enumerate() {
                    assert!(
                        !crosses(pair[0], pair[1], placed),
                        "line {e} ({}) crosses box {b} ({:?})",
                        edge.tooltip,
                        placed.lines
                    );
                }
            }
        }
        for (i, a) in layout.boxes.iter().enumerate() {
            for line in &a.lines {
                assert!(
                    line.chars().count() as f32 * CHAR_W <= BOX_W - 2.0 * PAD,
                    "{line:?} is wider than its box"
                );
            }
            assert!(a.figures.chars().count() as f32 * SMALL_CHAR_W <= BOX_W - 2.0 * PAD);
            assert!(BOX_TOP + a.lines.len() as f32 * LINE_H + BOX_FOOT <= a.h + 0.01);
            for b in &layout.boxes[i + 1..] {
                let apart = a.x + BOX_W <= b.x
                    || b.x + BOX_W <= a.x
                    || a.y + a.h <= b.y
                    || b.y + b.h <= a.y;
                assert!(apart, "{:?} overlaps {:?}", a.lines, b.lines);
            }
            assert!(a.x + BOX_W <= layout.width && a.y + a.h <= layout.legend_y);
        }
        for line in &layout.legend {
            assert!(10.0 + line.chars().count() as f32 * CHAR_W <= layout.width);
        }
        // Every title whole: its words, hyphen breaks joined again, in order.
        for r in roles {
            let placed = layout
                .boxes
                .iter()
                .find(|b| b.tooltip.starts_with(&format!("{}:", r.title)))
                .expect("a box for every role");
            let shown = placed.lines.join(" ").replace("- ", "");
            assert_eq!(shown.replace(' ', ""), r.title.replace(' ', ""));
        }
        assert_eq!(layout.edges.len(), roles.len());
    }

    #[test]
    fn a_line_through_a_box_is_caught_and_one_along_its_edge_is_not() {
        let placed = Placed {
            x: 100.0,
            y: 100.0,
            h: 50.0,
            lines: Vec::new(),
            figures: String::new(),
            tooltip: String::new(),
            origin: false,
            href: None,
        };
        assert!(crosses((0.0, 0.0), (300.0, 300.0), &placed));
        assert!(crosses((150.0, 0.0), (150.0, 120.0), &placed));
        assert!(!crosses((150.0, 0.0), (150.0, 100.0), &placed));
        assert!(!crosses((0.0, 100.0), (400.0, 100.0), &placed));
        assert!(!crosses((0.0, 0.0), (90.0, 300.0), &placed));
    }

    #[test]
    fn lines_never_cross_boxes_and_long_titles_are_never_cut() {
        // ESCO's longest titles, bands of every size, and roles two rows away.
        let esco = [
            "import export manager in machinery, industrial equipment, ships and aircraft",
            "specialised seller of orthopaedic supplies and medical goods",
            "chief executive officer",
            "ICT operations manager",
            "supervisor of telecommunications installation and maintenance works",
            "biomedical scientist advanced",
            "Front Line Validation and Compliance",
            "Pneumonoultramicroscopicsilicovolcanoconiosis researcher",
        ];
        let mut roles = Vec::new();
        for (i, title) in esco.iter().enumerate() {
            let band = ["above", "below", "same level", "level unknown"][i % 4];
            roles.push(role(
                title,
                band,
                0.1 * i as f32,
                Some((0.3 + 0.1 * i as f32, 1)),
            ));
        }
        for i in 0..9 {
            roles.push(role(&format!("Below role number {i}"), "below", 0.5, None));
        }
        for n in [0, 1, 3, 8, roles.len()] {
            let some = &roles[..n];
            check(&layout("Operations Manager", some), some);
        }
        let wide = layout("Operations Manager", &roles);
        // The eleven roles below take three rows of four: lines reach past the first.
        assert!(wide.boxes.iter().filter(|b| b.y > wide.boxes[0].y).count() > 5);
    }

    #[test]
    fn steps_up_weigh_more_than_similar_roles_below() {
        // A role below, very alike (one step down: cost 0.89), and the next role up, hardly
        // alike (a named route on: cost 0.4).
        let up = weight(Some((0.4, 1)));
        let down = weight(Some((0.891, 1)));
        assert!(up > down + 1.0, "{up} against {down}");
        assert_eq!(weight(Some((0.2, 1))), MAX_WEIGHT);
        assert_eq!(weight(Some((3.0, 4))), MIN_WEIGHT);
        assert_eq!(weight(None), MIN_WEIGHT);
    }

    #[test]
    fn words_wrap_whole_and_long_words_break_with_a_hyphen() {
        assert_eq!(wrap("Team Leader", 22), ["Team Leader"]);
        assert_eq!(
            wrap("Front Line Validation and Compliance", 22),
            ["Front Line Validation", "and Compliance"]
        );
        assert_eq!(wrap("abcdefghij", 4), ["abc-", "def-", "ghij"]);
        assert_eq!(wrap("", 10), [""]);
    }

    #[test]
    fn text_is_escaped() {
        let svg = render(
            "A & <B>",
            &layout("A & <B>", &[role("C \"D\"", "above", 0.5, None)]),
        );
        assert!(svg.contains("A &amp; &lt;B&gt;"));
        assert!(svg.contains("C &quot;D&quot;"));
        assert!(!svg.contains("<B>"));
    }

    #[test]
    fn each_other_role_box_is_a_link_and_the_role_itself_is_not() {
        let mut up = role("Head of Ops", "above", 0.5, Some((0.4, 1)));
        up.href = Some("/roles/7/progression".to_owned());
        let mut down = role("Team Leader", "below", 0.6, Some((0.9, 1)));
        down.href = Some("/roles/9/progression?x=1&y=2".to_owned());
        let svg = render("Ops Manager", &layout("Ops Manager", &[up, down]));
        assert_eq!(svg.matches("<a href=").count(), 2, "{svg}");
        assert!(
            svg.contains(r#"<a href="/roles/7/progression"><rect"#),
            "{svg}"
        );
        assert!(svg.contains(r#"<a href="/roles/9/progression?x=1&amp;y=2">"#));
        assert_eq!(svg.matches("<a ").count(), svg.matches("</a>").count());
        // Without addresses (the file the command line writes) nothing is a link.
        let plain = render(
            "Ops Manager",
            &layout("Ops Manager", &[role("Head of Ops", "above", 0.5, None)]),
        );
        assert!(!plain.contains("<a "), "{plain}");
    }
}
