//! Where a role sits, so that a move to another role reads as up, sideways or down: from its
//! grades on a ladder, else its stated level, else the skill level ISCO gives its major group.

use crate::role::Role;

/// What a role's band is measured in; bands compare only within one basis (and one ladder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    /// Positions on a grade ladder (0 = lowest), by the ladder's key.
    Grades(String),
    /// A qualification or occupational level (the standards' 5, 7).
    Level,
    /// ISCO-08's skill level of the occupation's major group (1 to 4).
    IscoSkillLevel,
}

/// The range a role spans on its basis.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub basis: Basis,
    pub low: f32,
    pub high: f32,
}

/// How a move from one role to another changes seniority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    Up,
    Same,
    Down,
    /// The roles' bands cannot be compared (no band, or different bases).
    Unknown,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Up => "above",
            Change::Same => "same level",
            Change::Down => "below",
            Change::Unknown => "level unknown",
        }
    }
}

/// ISCO-08's skill levels by major group (the first digit of the code): managers 3-4,
/// professionals 4, technicians 3, groups 4-8 level 2, elementary occupations 1, armed forces 1-4.
fn isco_skill_level(code: &str) -> Option<(f32, f32)> {
    match code.trim().chars().next()? {
        '1' => Some((3.0, 4.0)),
        '2' => Some((4.0, 4.0)),
        '3' => Some((3.0, 3.0)),
        '4'..='8' => Some((2.0, 2.0)),
        '9' => Some((1.0, 1.0)),
        '0' => Some((1.0, 4.0)),
        _ => None,
    }
}

impl Band {
    /// A band from what a role states: the lowest and highest positions of its grades on a ladder
    /// (by the ladder's key), else its level, else the ISCO skill level of its ISCO code.
    pub fn from_parts(
        grades: Option<(&str, f32, f32)>,
        level: Option<u8>,
        isco: Option<&str>,
    ) -> Option<Band> {
        if let Some((ladder, low, high)) = grades {
            return Some(Band {
                basis: Basis::Grades(ladder.to_owned()),
                low,
                high,
            });
        }
        if let Some(level) = level {
            return Some(Band {
                basis: Basis::Level,
                low: f32::from(level),
                high: f32::from(level),
            });
        }
        isco.and_then(isco_skill_level).map(|(low, high)| Band {
            basis: Basis::IscoSkillLevel,
            low,
            high,
        })
    }

    /// How moving from a role in this band to one in `to` changes seniority: by the middle of
    /// the bands, a quarter of a step either way counting as the same level.
    pub fn change_to(&self, to: &Band) -> Change {
        if self.basis != to.basis {
            return Change::Unknown;
        }
        let (a, b) = ((self.low + self.high) / 2.0, (to.low + to.high) / 2.0);
        if b > a + 0.25 {
            Change::Up
        } else if b < a - 0.25 {
            Change::Down
        } else {
            Change::Same
        }
    }
}

/// How moving between two roles, each perhaps without a band, changes seniority.
pub fn change(from: Option<&Band>, to: Option<&Band>) -> Change {
    match (from, to) {
        (Some(from), Some(to)) => from.change_to(to),
        _ => Change::Unknown,
    }
}

impl Role {
    /// The role's band: its grades' positions on its ladder, else its level, else the ISCO skill
    /// level of its code; `None` when it has none of these.
    pub fn band(&self) -> Option<Band> {
        let grades = self.ladder.as_ref().and_then(|ladder| {
            let positions: Vec<usize> = self
                .grades
                .iter()
                .filter_map(|g| ladder.position(g))
                .collect();
            let low = *positions.iter().min()?;
            let high = *positions.iter().max()?;
            Some((ladder.key.as_str(), low as f32, high as f32))
        });
        let isco = self
            .codes
            .iter()
            .filter(|c| c.scheme.eq_ignore_ascii_case("ISCO"))
            .find(|c| isco_skill_level(&c.value).is_some())
            .map(|c| c.value.as_str());
        Band::from_parts(grades, self.level, isco)
    }

    /// How moving from this role to `other` changes seniority: by the middle of their bands.
    pub fn change_to(&self, other: &Role) -> Change {
        change(self.band().as_ref(), other.band().as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gap::fixture;

    #[test]
    fn isco_major_groups_give_skill_levels() {
        assert_eq!(isco_skill_level("1330"), Some((3.0, 4.0)));
        assert_eq!(isco_skill_level("2512"), Some((4.0, 4.0)));
        assert_eq!(isco_skill_level("9112"), Some((1.0, 1.0)));
        assert_eq!(isco_skill_level("x"), None);
        assert_eq!(isco_skill_level(""), None);
    }

    #[test]
    fn grades_compare_on_their_ladder() {
        let ladder = crate::GradeLadder {
            key: "civil-service".into(),
            name: "Civil Service grades".into(),
            grades: ["AA", "AO", "EO", "HEO", "SEO", "G7", "G6", "SCS1"]
                .iter()
                .map(|code| crate::framework::Grade {
                    code: (*code).into(),
                    name: (*code).into(),
                })
                .collect(),
        };
        let mut leader = fixture::role(1, "Team Leader", &["EO", "HEO", "SEO"], Vec::new());
        let mut manager = fixture::role(2, "Operations Manager", &["G7", "G6"], Vec::new());
        let mut director = fixture::role(3, "Operations Director", &["SCS1"], Vec::new());
        let mut peer = fixture::role(4, "Operational Support", &["AO", "EO", "HEO"], Vec::new());
        for role in [&mut leader, &mut manager, &mut director, &mut peer] {
            role.ladder = Some(ladder.clone());
        }
        assert_eq!(leader.change_to(&manager), Change::Up);
        assert_eq!(manager.change_to(&director), Change::Up);
        assert_eq!(manager.change_to(&leader), Change::Down);
        // EO-SEO (middle HEO) against AO-HEO (middle EO): one grade lower.
        assert_eq!(leader.change_to(&peer), Change::Down);
        assert_eq!(leader.change_to(&leader.clone()), Change::Same);
        // A role on no ladder cannot be placed against one on a ladder.
        assert_eq!(
            leader.change_to(&fixture::role(5, "X", &[], Vec::new())),
            Change::Unknown
        );
    }

    #[test]
    fn levels_and_codes_compare_within_their_basis() {
        let mut a = fixture::role(1, "A", &[], Vec::new());
        let mut b = a.clone();
        assert_eq!(a.change_to(&b), Change::Unknown);
        a.level = Some(5);
        b.level = Some(7);
        assert_eq!(a.change_to(&b), Change::Up);
        assert_eq!(b.change_to(&a), Change::Down);
        b.level = Some(5);
        assert_eq!(a.change_to(&b), Change::Same);
        // ISCO on one side, a level on the other: not comparable.
        b.level = None;
        b.codes = vec![crate::role::Code {
            scheme: "ISCO".into(),
            value: "1330".into(),
        }];
        assert_eq!(a.change_to(&b), Change::Unknown);
        a.level = None;
        a.codes = vec![crate::role::Code {
            scheme: "ISCO".into(),
            value: "3512".into(),
        }];
        assert_eq!(a.change_to(&b), Change::Up);
    }
}
