//! A manager's view of the team: people x skills against the levels their own roles ask, the skills
//! that only one person holds, training needs totalled by skill, and who is closest to ready for a role.
//!
//! A skill's coverage bar is the highest level any team member's role asks for it at that member's
//! grade (or "held" where no level is published). A person covers the skill when assessed at or above
//! the bar. One holder is a single point of failure; none means the team lacks it.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::gap::{self, GapReport, Status};
use crate::id::SkillId;
use crate::level::Level;
use crate::person::{Held, Person};
use crate::role::{RequiredLevel, Role, RoleSummary, SkillRef};

/// One team member with what the matrix needs to know about them.
#[derive(Debug, Clone)]
pub struct Member {
    pub person: Person,
    /// Their role, shared: on a team of thousands most people hold one of a few roles.
    pub role: Option<Arc<Role>>,
    /// Their current levels (`person::current_levels`), with any a reviewed mapping makes stand
    /// in for a required skill, as their gap report would find them.
    pub held: BTreeMap<SkillId, Held>,
}

/// One cell: what the person's role asks for a skill and what they hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// `None` when the person's role does not require the skill.
    pub required: Option<RequiredLevel>,
    pub held: Option<Held>,
    /// `None` when the skill is not required of this person.
    pub status: Option<Status>,
    pub steps: u8,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub person: Person,
    /// Readiness for their own role at their grade; `None` without a role, or when the role lists
    /// no skill requirements.
    pub readiness: Option<f64>,
    pub cells: Vec<Cell>,
}

/// How well the team covers one skill.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    pub skill: SkillRef,
    /// The most demanding level asked in the team; `None` where none is published.
    pub bar: Option<Level>,
    /// Who holds the skill at or above the bar, by name.
    pub holders: Vec<String>,
}

/// People below what their role asks for one skill.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingNeed {
    pub skill: SkillRef,
    /// Name, level held (if assessed), level required.
    pub people: Vec<(String, Option<Level>, Option<Level>)>,
    /// Levels to climb across the team.
    pub total_steps: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub person: Person,
    pub report: GapReport,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Succession {
    pub role: RoleSummary,
    pub grade: Option<String>,
    /// Most ready first.
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TeamMatrix {
    pub manager: Person,
    /// The columns: every skill any member's role requires, in first-seen order.
    pub skills: Vec<SkillRef>,
    pub rows: Vec<Row>,
    pub coverage: Vec<Coverage>,
    pub training: Vec<TrainingNeed>,
    pub succession: Option<Succession>,
}

impl TeamMatrix {
    /// The matrix with only the rows, and the succession candidates, at `people` (positions
    /// in name order and in readiness order); the figures over the whole team (coverage,
    /// training needs) stay whole. A range past the end gives what lies within it.
    pub fn page(&self, people: std::ops::Range<usize>) -> TeamMatrix {
        let within = |len: usize| {
            let end = people.end.min(len);
            people.start.min(end)..end
        };
        TeamMatrix {
            manager: self.manager.clone(),
            skills: self.skills.clone(),
            rows: self.rows[within(self.rows.len())].to_vec(),
            coverage: self.coverage.clone(),
            training: self.training.clone(),
            succession: self.succession.as_ref().map(|s| Succession {
                role: s.role.clone(),
                grade: s.grade.clone(),
                candidates: s.candidates[within(s.candidates.len())].to_vec(),
            }),
        }
    }

    /// Skills exactly one person holds at the level the team needs.
    pub fn single_points(&self) -> impl Iterator<Item = &Coverage> {
        self.coverage.iter().filter(|c| c.holders.len() == 1)
    }

    /// Skills nobody in the team holds at the level the team needs.
    pub fn uncovered(&self) -> impl Iterator<Item = &Coverage> {
        self.coverage.iter().filter(|c| c.holders.is_empty())
    }
}

/// Builds the matrix. `succession` names a role (and grade) to rank the team against.
pub fn build(
    manager: &Person,
    members: &[Member],
    succession: Option<(&Role, Option<&str>)>,
) -> TeamMatrix {
    let mut skills: Vec<SkillRef> = Vec::new();
    for member in members {
        for req in member.role.iter().flat_map(|r| &r.requirements) {
            if !skills.iter().any(|s| s.id == req.skill.id) {
                skills.push(req.skill.clone());
            }
        }
    }

    let held: Vec<&BTreeMap<SkillId, Held>> = members.iter().map(|m| &m.held).collect();

    let rows: Vec<Row> = members
        .iter()
        .zip(&held)
        .map(|(member, held)| {
            let report = member.role.as_ref().map(|role| {
                let grade = role.default_grade(member.person.grade.as_deref());
                gap::analyse_with(role, grade.as_deref(), held)
            });
            let cells = skills
                .iter()
                .map(|skill| {
                    let line = report
                        .as_ref()
                        .and_then(|r| r.lines.iter().find(|l| l.skill.id == skill.id));
                    Cell {
                        required: line.map(|l| l.required.clone()),
                        held: held.get(&skill.id).cloned(),
                        status: line.map(|l| l.status),
                        steps: line.map_or(0, |l| l.steps),
                    }
                })
                .collect();
            Row {
                person: member.person.clone(),
                readiness: report.and_then(|r| r.readiness),
                cells,
            }
        })
        .collect();

    let coverage = skills
        .iter()
        .enumerate()
        .map(|(column, skill)| {
            let bar = rows
                .iter()
                .filter_map(|row| row.cells[column].required.as_ref().and_then(|r| r.level()))
                .max_by_key(|level| level.rank())
                .cloned();
            let holders = rows
                .iter()
                .filter(|row| {
                    row.cells[column].held.as_ref().is_some_and(|h| {
                        bar.as_ref().map_or(!h.current.level.is_none(), |bar| {
                            h.current.level.rank() >= bar.rank()
                        })
                    })
                })
                .map(|row| row.person.name.clone())
                .collect();
            Coverage {
                skill: skill.clone(),
                bar,
                holders,
            }
        })
        .collect();

    let mut training: Vec<TrainingNeed> = skills
        .iter()
        .enumerate()
        .filter_map(|(column, skill)| {
            let people: Vec<(String, Option<Level>, Option<Level>, u8)> = rows
                .iter()
                .filter(|row| {
                    matches!(
                        row.cells[column].status,
                        Some(Status::Below | Status::Unassessed)
                    )
                })
                .map(|row| {
                    let cell = &row.cells[column];
                    (
                        row.person.name.clone(),
                        cell.held.as_ref().map(|h| h.current.level.clone()),
                        cell.required.as_ref().and_then(|r| r.level()).cloned(),
                        cell.steps,
                    )
                })
                .collect();
            (!people.is_empty()).then(|| TrainingNeed {
                skill: skill.clone(),
                total_steps: people.iter().map(|p| u32::from(p.3)).sum(),
                people: people
                    .into_iter()
                    .map(|(name, held, required, _)| (name, held, required))
                    .collect(),
            })
        })
        .collect();
    training.sort_by(|a, b| {
        b.people
            .len()
            .cmp(&a.people.len())
            .then_with(|| b.total_steps.cmp(&a.total_steps))
            .then_with(|| a.skill.label.cmp(&b.skill.label))
    });

    let succession = succession.map(|(role, grade)| {
        let mut candidates: Vec<Candidate> = members
            .iter()
            .zip(&held)
            .map(|(member, held)| Candidate {
                person: member.person.clone(),
                report: gap::analyse_with(role, grade, held),
            })
            .collect();
        candidates.sort_by(readiness_order);
        Succession {
            role: role.summary_view(),
            grade: grade.map(str::to_owned),
            candidates,
        }
    });

    TeamMatrix {
        manager: manager.clone(),
        skills,
        rows,
        coverage,
        training,
        succession,
    }
}

/// Most ready first (no figure, for a role without requirements, last); then fewer essential
/// gaps; then by name.
fn readiness_order(a: &Candidate, b: &Candidate) -> Ordering {
    let essential_gaps = |c: &Candidate| {
        c.report
            .development_lines()
            .filter(|l| l.importance == crate::role::Importance::Essential)
            .count()
    };
    let ready = |c: &Candidate| c.report.readiness.unwrap_or(-1.0);
    ready(b)
        .total_cmp(&ready(a))
        .then_with(|| essential_gaps(a).cmp(&essential_gaps(b)))
        .then_with(|| a.person.name.cmp(&b.person.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gap::fixture::*;
    use crate::id::PersonId;
    use crate::person::{Source, assessment, current_levels};

    fn person(id: i64, name: &str, grade: &str) -> Person {
        Person {
            id: PersonId(id),
            key: name.to_lowercase(),
            name: name.into(),
            role: None,
            grade: Some(grade.into()),
            manager: None,
            team: String::new(),
            demo: false,
            email: None,
            archived_at: None,
        }
    }

    fn member(id: i64, name: &str, grade: &str, levels: &[(i64, &str, u8)]) -> Member {
        Member {
            person: person(id, name, grade),
            role: Some(Arc::new(team_leader())),
            held: current_levels(
                &levels
                    .iter()
                    .enumerate()
                    .map(|(i, (skill, code, rank))| {
                        let mut a = assessment(
                            *skill,
                            code,
                            *rank,
                            Source::Manager,
                            "2026-01-01T00:00:00Z",
                            i as i64,
                        );
                        a.person = PersonId(id);
                        a
                    })
                    .collect::<Vec<_>>(),
            ),
        }
    }

    fn team() -> Vec<Member> {
        vec![
            member(
                2,
                "Ana",
                "SEO",
                &[
                    (1, "W", 2),
                    (2, "P", 3),
                    (3, "W", 2),
                    (4, "P", 3),
                    (5, "P", 3),
                ],
            ),
            member(
                3,
                "Ben",
                "HEO",
                &[(1, "W", 2), (2, "W", 2), (3, "A", 1), (4, "W", 2)],
            ),
            member(
                4,
                "Cy",
                "EO",
                &[
                    (1, "A", 1),
                    (2, "W", 2),
                    (3, "A", 1),
                    (4, "A", 1),
                    (5, "A", 1),
                ],
            ),
        ]
    }

    #[test]
    fn coverage_finds_single_points_against_the_highest_bar() {
        let matrix = build(&person(1, "Manager", "G7"), &team(), None);
        let single: Vec<(&str, Vec<String>)> = matrix
            .single_points()
            .map(|c| (c.skill.label.as_str(), c.holders.clone()))
            .collect();
        // The SEO asks P for leadership, data and delivery; only Ana holds them at P, and only
        // she holds adaptability at the W that HEO and SEO ask.
        assert_eq!(
            single,
            vec![
                (
                    "Operational leadership and management",
                    vec!["Ana".to_owned()]
                ),
                ("Adaptability to change", vec!["Ana".to_owned()]),
                ("Data and insight", vec!["Ana".to_owned()]),
                (
                    "Delivery and decision making at pace",
                    vec!["Ana".to_owned()]
                ),
            ]
        );
        assert_eq!(matrix.uncovered().count(), 0);
    }

    #[test]
    fn training_needs_total_by_skill() {
        let matrix = build(&person(1, "Manager", "G7"), &team(), None);
        let needs: Vec<(&str, usize, u32)> = matrix
            .training
            .iter()
            .map(|t| (t.skill.label.as_str(), t.people.len(), t.total_steps))
            .collect();
        // Ben: adaptability A<W (1), delivery unassessed W (2). Cy: comms A<W (1).
        assert_eq!(
            needs,
            vec![
                ("Delivery and decision making at pace", 1, 2),
                ("Adaptability to change", 1, 1),
                ("Connections and communication", 1, 1),
            ]
        );
        assert_eq!(matrix.rows[1].cells[4].status, Some(Status::Unassessed));
    }

    #[test]
    fn succession_ranks_the_most_ready_first() {
        let target = team_leader();
        let matrix = build(
            &person(1, "Manager", "G7"),
            &team(),
            Some((&target, Some("SEO"))),
        );
        let order: Vec<&str> = matrix
            .succession
            .as_ref()
            .map(|s| {
                s.candidates
                    .iter()
                    .map(|c| c.person.name.as_str())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(order, vec!["Ana", "Ben", "Cy"]);
    }

    #[test]
    fn a_page_keeps_its_rows_and_candidates_and_the_whole_team_figures() {
        let members = team();
        let matrix = build(&members[0].person, &members, Some((&team_leader(), None)));
        let page = matrix.page(1..2);
        assert_eq!(page.rows, matrix.rows[1..2]);
        assert_eq!(page.coverage, matrix.coverage);
        assert_eq!(page.training, matrix.training);
        let (all, one) = (
            matrix.succession.as_ref().map(|s| &s.candidates[1..2]),
            page.succession.as_ref().map(|s| &s.candidates[..]),
        );
        assert_eq!(all, one);
        assert!(matrix.page(50..60).rows.is_empty(), "past the end: nothing");
    }
}
