//! Proficiency scales: ordered levels such as Awareness < Working < Practitioner < Expert.

use std::fmt;

/// One level of a scale as the framework publishes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelDef {
    pub code: String,
    pub name: String,
    pub descriptor: String,
}

/// An ordered proficiency scale. Invariant: at least one level, codes unique (case-insensitively).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    key: String,
    name: String,
    levels: Vec<LevelDef>,
}

/// A level on a scale: its rank (1 = lowest) travels with its code and name, so comparisons never
/// need the scale again. Rank 0 is the held level "none" (see [`Level::none`]), never a scale's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Level {
    rank: u8,
    code: String,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LevelError {
    #[error("unknown level '{given}' on scale '{scale}'; valid levels: {valid}")]
    Unknown {
        given: String,
        scale: String,
        valid: String,
    },
    #[error("scale '{0}' has no levels")]
    EmptyScale(String),
    #[error("scale '{scale}' defines level code '{code}' twice")]
    DuplicateCode { scale: String, code: String },
}

impl Scale {
    /// Builds a scale from its levels, lowest first.
    pub fn new(
        key: impl Into<String>,
        name: impl Into<String>,
        levels: Vec<LevelDef>,
    ) -> Result<Scale, LevelError> {
        let key = key.into();
        if levels.is_empty() || levels.len() > u8::MAX as usize {
            return Err(LevelError::EmptyScale(key));
        }
        for (i, level) in levels.iter().enumerate() {
            if levels[..i]
                .iter()
                .any(|l| l.code.eq_ignore_ascii_case(&level.code))
            {
                return Err(LevelError::DuplicateCode {
                    scale: key,
                    code: level.code.clone(),
                });
            }
        }
        Ok(Scale {
            key,
            name: name.into(),
            levels,
        })
    }

    /// The scale used for skills whose framework publishes no levels (ESCO): a skill is held or not.
    pub fn presence() -> Scale {
        Scale {
            key: "presence".to_owned(),
            name: "Held or not".to_owned(),
            levels: vec![LevelDef {
                code: "Y".to_owned(),
                name: "Held".to_owned(),
                descriptor: "Has the skill or knowledge.".to_owned(),
            }],
        }
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn levels(&self) -> &[LevelDef] {
        &self.levels
    }

    /// Resolves a level by code or name, case-insensitively ("p", "Practitioner").
    pub fn parse(&self, given: &str) -> Result<Level, LevelError> {
        let wanted = given.trim();
        self.levels
            .iter()
            .position(|l| {
                l.code.eq_ignore_ascii_case(wanted) || l.name.eq_ignore_ascii_case(wanted)
            })
            .map(|i| self.level_at(i))
            .ok_or_else(|| LevelError::Unknown {
                given: given.to_owned(),
                scale: self.name.clone(),
                valid: self.valid_list(),
            })
    }

    /// Resolves a level a person holds: a level of the scale as [`Scale::parse`] does, or "none"
    /// ([`NONE_CODE`], or "not held"), the answer "I do not have this", which is not the same as
    /// leaving a skill unassessed.
    pub fn parse_held(&self, given: &str) -> Result<Level, LevelError> {
        let wanted = given.trim();
        if wanted.eq_ignore_ascii_case(NONE_CODE) || wanted.eq_ignore_ascii_case("not held") {
            return Ok(Level::none());
        }
        self.parse(given).map_err(|e| match e {
            LevelError::Unknown {
                given,
                scale,
                valid,
            } => LevelError::Unknown {
                given,
                scale,
                valid: format!("{valid}, or {NONE_CODE} (not held)"),
            },
            other => other,
        })
    }

    /// The level of the given rank (1 = lowest), if the scale has it.
    pub fn by_rank(&self, rank: u8) -> Option<Level> {
        let index = usize::from(rank).checked_sub(1)?;
        (index < self.levels.len()).then(|| self.level_at(index))
    }

    /// A level of scale `from` read on this scale: the same share of the way up (rank over the
    /// number of levels), rounded to the nearest rank, at least the lowest. On the same scale, the
    /// level itself. `None` when either scale is empty.
    pub fn rescale(&self, level: &Level, from: &Scale) -> Option<Level> {
        // Not holding a skill reads the same on every scale.
        if level.is_none() {
            return Some(Level::none());
        }
        if from.key == self.key && from.levels.len() == self.levels.len() {
            return self.by_rank(level.rank);
        }
        let (levels_from, levels_to) = (from.levels.len(), self.levels.len());
        if levels_from == 0 || levels_to == 0 {
            return None;
        }
        let share = f64::from(level.rank) / levels_from as f64;
        let rank = (share * levels_to as f64)
            .round()
            .clamp(1.0, levels_to as f64);
        self.by_rank(rank as u8)
    }

    /// The descriptor of a level, as the scale words it.
    pub fn descriptor(&self, level: &Level) -> Option<&str> {
        self.levels
            .get(usize::from(level.rank).saturating_sub(1))
            .filter(|l| l.code == level.code)
            .map(|l| l.descriptor.as_str())
    }

    /// "A (Awareness), W (Working), ..." for error messages.
    pub fn valid_list(&self) -> String {
        self.levels
            .iter()
            .map(|l| format!("{} ({})", l.code, l.name))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn level_at(&self, index: usize) -> Level {
        let def = &self.levels[index];
        Level {
            rank: (index + 1) as u8,
            code: def.code.clone(),
            name: def.name.clone(),
        }
    }
}

/// The stored code of the held level "none".
pub const NONE_CODE: &str = "none";

impl Level {
    /// The held level "none": assessed, and found not to have the skill at any level of its scale.
    /// Rank 0, below every level a scale defines, so it counts as a gap and earns no credit.
    pub fn none() -> Level {
        Level {
            rank: 0,
            code: NONE_CODE.to_owned(),
            name: "None".to_owned(),
        }
    }

    /// True for the held level "none".
    pub fn is_none(&self) -> bool {
        self.rank == 0
    }

    /// Rebuilds a level from stored parts. The caller vouches that they came from a scale.
    pub fn from_parts(rank: u8, code: impl Into<String>, name: impl Into<String>) -> Level {
        Level {
            rank,
            code: code.into(),
            name: name.into(),
        }
    }

    pub fn rank(&self) -> u8 {
        self.rank
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_none() {
            return f.write_str("none (not held)");
        }
        write!(f, "{} ({})", self.name, self.code)
    }
}

#[cfg(test)]
pub(crate) fn odp_scale() -> Scale {
    let def = |code: &str, name: &str| LevelDef {
        code: code.to_owned(),
        name: name.to_owned(),
        descriptor: format!("{name} descriptor"),
    };
    Scale::new(
        "odp",
        "ODP skill levels",
        vec![
            def("A", "Awareness"),
            def("W", "Working"),
            def("P", "Practitioner"),
            def("E", "Expert"),
        ],
    )
    .unwrap_or_else(|e| panic!("test scale: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rescale_keeps_the_share_of_the_way_up() {
        let odp = odp_scale();
        let def = |code: &str| LevelDef {
            code: code.to_owned(),
            name: format!("Level {code}"),
            descriptor: String::new(),
        };
        let five = Scale::new("five", "Five", ["1", "2", "3", "4", "5"].map(def).to_vec())
            .unwrap_or_else(|e| panic!("{e}"));
        let read = |code: &str| {
            let level = odp.parse(code).unwrap_or_else(|e| panic!("{e}"));
            five.rescale(&level, &odp).map(|l| l.code().to_owned())
        };
        // 1/4, 2/4, 3/4 and 4/4 of five levels: 1.25, 2.5, 3.75 and 5.
        assert_eq!(read("A").as_deref(), Some("1"));
        assert_eq!(read("W").as_deref(), Some("3"));
        assert_eq!(read("P").as_deref(), Some("4"));
        assert_eq!(read("E").as_deref(), Some("5"));
        // Back down: 4 of 5 is 3.2 of 4.
        let four = five.parse("4").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            odp.rescale(&four, &five)
                .map(|l| l.code().to_owned())
                .as_deref(),
            Some("P")
        );
        // On its own scale a level stays itself; held-or-not reads as the top.
        let p = odp.parse("P").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(odp.rescale(&p, &odp), Some(p));
        let held = Scale::presence()
            .by_rank(1)
            .unwrap_or_else(|| panic!("held"));
        assert_eq!(
            odp.rescale(&held, &Scale::presence()).map(|l| l.rank()),
            Some(4)
        );
    }

    #[test]
    fn none_is_a_held_level_below_every_level_of_the_scale() {
        let odp = odp_scale();
        let none = odp.parse_held("none").unwrap_or_else(|e| panic!("{e}"));
        assert!(none.is_none());
        assert_eq!(none.rank(), 0);
        assert_eq!(none.to_string(), "none (not held)");
        assert_eq!(Scale::presence().parse_held("Not held"), Ok(Level::none()));
        // A scale's own levels still parse; "none" is no requirement level.
        assert_eq!(odp.parse_held("W").map(|l| l.rank()), Ok(2));
        assert!(odp.parse("none").is_err());
        let err = odp.parse_held("X").unwrap_err().to_string();
        assert!(err.ends_with("E (Expert), or none (not held)"), "{err}");
        // Not holding a skill is not read as the lowest level of another scale.
        assert_eq!(odp.rescale(&none, &Scale::presence()), Some(Level::none()));
    }

    #[test]
    fn parses_codes_and_names_case_insensitively() {
        let scale = odp_scale();
        assert_eq!(scale.parse("p").map(|l| l.rank()), Ok(3));
        assert_eq!(
            scale.parse("Expert").map(|l| l.code().to_owned()),
            Ok("E".to_owned())
        );
    }

    #[test]
    fn unknown_level_lists_valid_ones() {
        let err = odp_scale().parse("X").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown level 'X' on scale 'ODP skill levels'; valid levels: A (Awareness), W (Working), P (Practitioner), E (Expert)"
        );
    }

    #[test]
    fn duplicate_codes_are_refused() {
        let def = LevelDef {
            code: "A".into(),
            name: "A".into(),
            descriptor: String::new(),
        };
        let err = Scale::new("s", "s", vec![def.clone(), def]).unwrap_err();
        assert!(matches!(err, LevelError::DuplicateCode { .. }));
    }
}
