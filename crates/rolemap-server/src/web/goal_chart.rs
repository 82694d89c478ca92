//! The small chart of a development goal drawn as inline SVG (no script, as the radar in
//! `svg.rs`): the level that counted over time as a stepped line from the first assessment of
//! the skill to today, the target as a dashed line, and the due date as a dotted mark. Readable
//! without colour (the target is dashed, the level solid, the due date dotted and labelled), with
//! a `<title>` and `<desc>` that say the same in words; the page beside it gives the figures.
//! Every piece of text passes through `escape_html`.

use std::fmt::Write;

use rolemap_formats::jd::escape_html as esc;

/// What one goal's chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalChart {
    /// The goal's id, which names the chart's title and description on the page.
    pub id: i64,
    pub title: String,
    pub description: String,
    /// (day `YYYY-MM-DD`, rank) after each assessment, oldest first.
    pub points: Vec<(String, u8)>,
    pub target: u8,
    /// The number of levels on the skill's scale.
    pub max: u8,
    pub due: String,
    pub today: String,
}

const WIDTH: f64 = 260.0;
const HEIGHT: f64 = 84.0;
const LEFT: f64 = 8.0;
const RIGHT: f64 = 252.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 62.0;

/// Days since 1970 of a `YYYY-MM-DD` day (the civil-from-days inverse), or 0 if it does not read.
fn day_number(day: &str) -> i64 {
    let mut parts = day.get(..10).unwrap_or(day).split('-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return 0;
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i64>(), m.parse::<i64>(), d.parse::<i64>()) else {
        return 0;
    };
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Draws the chart.
pub fn goal_chart(chart: &GoalChart) -> String {
    let max = f64::from(chart.max.max(1));
    let y = |rank: u8| BOTTOM - (BOTTOM - TOP) * f64::from(rank) / max;
    let first = chart
        .points
        .first()
        .map_or_else(|| day_number(&chart.today), |(day, _)| day_number(day));
    let last = day_number(&chart.today)
        .max(day_number(&chart.due))
        .max(first + 1);
    let span = (last - first) as f64;
    let x = |day: &str| LEFT + (RIGHT - LEFT) * (day_number(day) - first) as f64 / span;

    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"goal-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" \
         width=\"{WIDTH}\" height=\"{HEIGHT}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\">\
         <title id=\"{id}-t\">{title}</title><desc id=\"{id}-d\">{desc}</desc>",
        id = format!("goal-{}", chart.id),
        title = esc(&chart.title),
        desc = esc(&chart.description),
    );
    // The floor and the target.
    let _ = write!(
        svg,
        "<line x1=\"{LEFT}\" y1=\"{BOTTOM}\" x2=\"{RIGHT}\" y2=\"{BOTTOM}\" stroke=\"#6b7280\" stroke-width=\"1\"/>\
         <line x1=\"{LEFT}\" y1=\"{t:.1}\" x2=\"{RIGHT}\" y2=\"{t:.1}\" stroke=\"#1f4e9c\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>",
        t = y(chart.target)
    );
    // The due date.
    let due = x(&chart.due);
    let _ = write!(
        svg,
        "<line x1=\"{due:.1}\" y1=\"{TOP}\" x2=\"{due:.1}\" y2=\"{BOTTOM}\" stroke=\"#374151\" stroke-width=\"1.5\" stroke-dasharray=\"1 3\"/>\
         <text x=\"{tx:.1}\" y=\"{ty}\" font-size=\"10\" fill=\"#374151\" text-anchor=\"{anchor}\">due {day}</text>",
        tx = due,
        ty = HEIGHT - 8.0,
        anchor = if due > WIDTH / 2.0 { "end" } else { "start" },
        day = esc(&chart.due),
    );
    // The level over time: a step at each assessment, held until today.
    if !chart.points.is_empty() {
        let mut path = String::new();
        let mut previous: Option<f64> = None;
        for (day, rank) in &chart.points {
            let (px, py) = (x(day), y(*rank));
            match previous {
                None => {
                    let _ = write!(path, "M{px:.1},{py:.1}");
                }
                Some(_) => {
                    let _ = write!(path, " H{px:.1} V{py:.1}");
                }
            }
            previous = Some(py);
        }
        let _ = write!(path, " H{:.1}", x(&chart.today));
        let _ = write!(
            svg,
            "<path d=\"{path}\" fill=\"none\" stroke=\"#c2410c\" stroke-width=\"2.5\"/>"
        );
        for (day, rank) in &chart.points {
            let _ = write!(
                svg,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"#c2410c\"><title>{}: level {rank}</title></circle>",
                x(day),
                y(*rank),
                esc(day)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(points: Vec<(&str, u8)>) -> GoalChart {
        GoalChart {
            id: 1,
            title: "Data & insight: level over time".into(),
            description: "From A to W; target P by 2026-06-01".into(),
            points: points.into_iter().map(|(d, r)| (d.to_owned(), r)).collect(),
            target: 3,
            max: 4,
            due: "2026-06-01".into(),
            today: "2026-04-01".into(),
        }
    }

    #[test]
    fn days_count_on_the_calendar() {
        assert_eq!(day_number("1970-01-01"), 0);
        assert_eq!(day_number("2026-03-01") - day_number("2026-02-28"), 1);
        assert_eq!(day_number("2024-03-01") - day_number("2024-02-28"), 2);
    }

    #[test]
    fn the_level_steps_at_each_assessment_and_the_target_is_dashed() {
        let svg = goal_chart(&chart(vec![("2026-01-01", 1), ("2026-02-01", 2)]));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains(" H"), "a stepped line: {svg}");
        assert!(
            svg.contains("stroke-dasharray=\"6 4\""),
            "the dashed target"
        );
        assert!(svg.contains("due 2026-06-01"));
        assert!(svg.contains("Data &amp; insight"), "text is escaped");
    }

    #[test]
    fn a_goal_never_assessed_draws_no_line() {
        let svg = goal_chart(&chart(Vec::new()));
        assert!(!svg.contains("<path") && !svg.contains("<circle"));
    }
}
