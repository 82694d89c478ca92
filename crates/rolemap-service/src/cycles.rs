//! Review cycles (an admin opens one: a name, a date range, the people in it) and what a
//! manager's team page shows of reviews and plans: the self-ratings waiting for review, goals due
//! in the next 30 days and overdue, and, for the current cycle, who has self-assessed in it and
//! who has been reviewed.
//!
//! The current cycle is the open one whose dates hold today (the latest to start, if several
//! do). In a cycle, a person has self-assessed when they recorded a self-rating on one of its
//! days, and has been reviewed when a review of theirs was recorded on one.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rolemap_core::{Assessment, Person, PersonId, Source};
use rolemap_store::{Actor, Cycle, CycleScope, NewCycle, PeopleScope, StoredReview, UserId};

use crate::fields::check_name;
use crate::goals::{GoalProgress, GoalStatus, add_days, check_date, day_of, progress};
use crate::reviews::{PersonReviews, person_reviews};
use crate::{Result, Service, ServiceError};

/// How far ahead the team page lists goals coming due.
pub const DUE_SOON_DAYS: i64 = 30;

/// A cycle to open, as typed.
#[derive(Debug, Clone, Default)]
pub struct CycleInput {
    pub name: String,
    pub starts: String,
    pub ends: String,
    /// "everyone", "team" (with `manager`) or "list" (with `people`).
    pub scope: String,
    pub manager: Option<String>,
    pub people: Vec<String>,
    pub opened_by: Option<UserId>,
}

/// One person of a team in the current cycle.
#[derive(Debug, Clone)]
pub struct CycleMember {
    pub person: Person,
    /// The time of their latest self-rating within the cycle's days.
    pub self_assessed: Option<String>,
    /// The time of their latest review within the cycle's days.
    pub reviewed: Option<String>,
    /// Their self-ratings waiting for review now.
    pub waiting: usize,
}

/// The current cycle as it stands for one manager's team.
#[derive(Debug, Clone)]
pub struct CycleState {
    pub cycle: Cycle,
    pub manager: Person,
    pub members: Vec<CycleMember>,
}

/// What a manager's team page shows of reviews, plans and the current cycle.
#[derive(Debug, Clone)]
pub struct TeamPlans {
    pub manager: Person,
    /// The people below the manager with self-ratings waiting, in name order.
    pub waiting: Vec<PersonReviews>,
    pub waiting_count: usize,
    /// Goals not met nor dropped, due from today to `DUE_SOON_DAYS` days on, by due date.
    pub due_soon: Vec<(Person, GoalProgress)>,
    /// Goals not met nor dropped whose day has passed, by due date.
    pub overdue: Vec<(Person, GoalProgress)>,
    pub cycle: Option<CycleState>,
}

/// The cycle that holds `today`, if one is open.
pub fn current_cycle<'a>(cycles: &'a [Cycle], today: &str) -> Option<&'a Cycle> {
    cycles
        .iter()
        .filter(|c| c.closed_at.is_none() && c.starts.as_str() <= today && today <= c.ends.as_str())
        .max_by(|a, b| (a.starts.as_str(), a.id).cmp(&(b.starts.as_str(), b.id)))
}

/// Everyone below `manager` in `people` (directly or through others), in the order given.
pub(crate) fn below(people: &[Person], manager: PersonId) -> Vec<Person> {
    let mut children: HashMap<PersonId, Vec<PersonId>> = HashMap::new();
    for p in people {
        if let Some((m, _)) = &p.manager {
            children.entry(*m).or_default().push(p.id);
        }
    }
    let mut found: HashSet<PersonId> = HashSet::new();
    let mut stack = vec![manager];
    while let Some(at) = stack.pop() {
        for child in children.get(&at).into_iter().flatten() {
            // A cycle in the tree ends here rather than looping.
            if *child != manager && found.insert(*child) {
                stack.push(*child);
            }
        }
    }
    // As `Store::reports`: an archived person is walked through (their reports stay below the
    // manager) but not listed.
    people
        .iter()
        .filter(|p| found.contains(&p.id) && !p.is_archived())
        .cloned()
        .collect()
}

/// The latest time in `times` that falls on one of the cycle's days.
fn latest_within<'a>(cycle: &Cycle, times: impl Iterator<Item = &'a str>) -> Option<String> {
    times
        .filter(|at| {
            let day = day_of(at);
            cycle.starts.as_str() <= day && day <= cycle.ends.as_str()
        })
        .max()
        .map(str::to_owned)
}

impl Service {
    /// Opens a review cycle. Dates are `YYYY-MM-DD`, the end on or after the start; the people
    /// are everyone, everyone below a manager, or a list of names.
    pub async fn open_cycle(&self, input: &CycleInput, actor: &Actor, now: &str) -> Result<Cycle> {
        check_name("name", &input.name)?;
        let name = input.name.trim();
        if name.is_empty() {
            return Err(ServiceError::invalid("name", "a review cycle needs a name"));
        }
        let starts = check_date("starts", &input.starts)?;
        let ends = check_date("ends", &input.ends)?;
        if ends < starts {
            return Err(ServiceError::invalid(
                "ends",
                format!("the cycle ends ({ends}) before it starts ({starts})"),
            ));
        }
        let scope = match input.scope.trim() {
            "everyone" | "" => CycleScope::Everyone,
            "team" => {
                let Some(manager) = input.manager.as_deref().filter(|m| !m.trim().is_empty())
                else {
                    return Err(ServiceError::invalid(
                        "manager",
                        "name the manager whose team the cycle takes in",
                    ));
                };
                check_name("manager", manager)?;
                CycleScope::Team(self.resolve_person(manager).await?)
            }
            "list" => {
                let mut ids = Vec::new();
                for (i, name) in input.people.iter().enumerate() {
                    if name.trim().is_empty() {
                        continue;
                    }
                    let field = format!("people[{i}]");
                    check_name(&field, name)?;
                    let id = self
                        .resolve_person(name)
                        .await
                        .map_err(|e| ServiceError::invalid(&field, e))?;
                    ids.push(id);
                }
                if ids.is_empty() {
                    return Err(ServiceError::invalid(
                        "people",
                        "list the people the cycle takes in",
                    ));
                }
                ids.sort();
                ids.dedup();
                CycleScope::List(ids)
            }
            other => {
                return Err(ServiceError::invalid(
                    "scope",
                    format!("'{other}' is not a scope: everyone, team or list"),
                ));
            }
        };
        Ok(self
            .store
            .open_cycle(
                &NewCycle {
                    name: name.to_owned(),
                    starts,
                    ends,
                    scope,
                    opened_by: input.opened_by,
                },
                actor,
                now,
            )
            .await?)
    }

    pub async fn close_cycle(&self, id: i64, actor: &Actor, now: &str) -> Result<Cycle> {
        Ok(self.store.close_cycle(id, actor, now).await?)
    }

    /// Every review cycle, the latest start first.
    pub async fn cycles(&self) -> Result<Vec<Cycle>> {
        Ok(self.store.cycles().await?)
    }

    /// What the team page of `manager` shows of reviews, plans and the current cycle, on
    /// `now`'s day.
    ///
    /// Worked out once per generation of frameworks and people for each manager and day, and
    /// shared: every review, goal and cycle written moves the people generation on, and what
    /// is due or overdue changes only with the day. On a team of 2,000 it costs about 40 ms of
    /// CPU, which four managers' pages asked for at once turned into a p99 over 400 ms.
    pub async fn team_plans(&self, manager: &str, now: &str) -> Result<Arc<TeamPlans>> {
        let asked = (self.resolve_person(manager).await?, day_of(now).to_owned());
        let (key, kept) = self.kept_plans(&asked).await?;
        if let Some(plans) = kept {
            return Ok(plans);
        }
        let plans = Arc::new(self.work_out_team_plans(manager, now).await?);
        self.keep_plans(key, asked, Arc::clone(&plans));
        Ok(plans)
    }

    /// Reads the team from the people kept in memory, their histories as kept, and the team's
    /// reviews and goals in one query each, so a large team costs little more than its heatmap.
    async fn work_out_team_plans(&self, manager: &str, now: &str) -> Result<TeamPlans> {
        let today = day_of(now);
        let manager = self.person(manager).await?;
        let index = self.people_index().await?;
        let team = below(&index.people, manager.id);
        let reviews = self.store.reviews(PeopleScope::Below(manager.id)).await?;
        let goals = self.store.goals(PeopleScope::Below(manager.id)).await?;
        let cycles = self.store.cycles().await?;
        let cycle = current_cycle(&cycles, today).cloned();
        let cycle_people: Option<HashSet<PersonId>> = match cycle.as_ref().map(|c| &c.scope) {
            Some(CycleScope::Team(head)) => Some(
                below(&index.people, *head)
                    .into_iter()
                    .map(|p| p.id)
                    .collect(),
            ),
            Some(CycleScope::List(ids)) => Some(ids.iter().copied().collect()),
            Some(CycleScope::Everyone) | None => None,
        };

        let mut reviews_of: HashMap<PersonId, Vec<&StoredReview>> = HashMap::new();
        for r in &reviews {
            reviews_of.entry(r.person).or_default().push(r);
        }
        let mut goals_of: HashMap<PersonId, Vec<rolemap_store::Goal>> = HashMap::new();
        for g in goals {
            goals_of.entry(g.person).or_default().push(g);
        }
        let soon_until = add_days(today, DUE_SOON_DAYS);
        let mut waiting = Vec::new();
        let mut waiting_count = 0;
        let mut due_soon = Vec::new();
        let mut overdue = Vec::new();
        let mut members = Vec::new();
        for person in team {
            let history: Arc<Vec<Assessment>> = self.assessments_shared(person.id).await?;
            let stored = reviews_of.remove(&person.id).unwrap_or_default();
            let mine = person_reviews(person.clone(), &history, &stored);
            for goal in goals_of.remove(&person.id).unwrap_or_default() {
                let p = progress(goal, &history, today);
                match p.status {
                    GoalStatus::Overdue => overdue.push((person.clone(), p)),
                    GoalStatus::OnTrack if p.goal.due <= soon_until => {
                        due_soon.push((person.clone(), p));
                    }
                    _ => {}
                }
            }
            if let Some(cycle) = &cycle
                && cycle_people
                    .as_ref()
                    .is_none_or(|ids| ids.contains(&person.id))
            {
                members.push(CycleMember {
                    person: person.clone(),
                    self_assessed: latest_within(
                        cycle,
                        history
                            .iter()
                            .filter(|a| a.source == Source::SelfAssessed)
                            .map(|a| a.at.as_str()),
                    ),
                    reviewed: latest_within(cycle, stored.iter().map(|r| r.at.as_str())),
                    waiting: mine.pending.len(),
                });
            }
            if !mine.pending.is_empty() {
                waiting_count += mine.pending.len();
                waiting.push(mine);
            }
        }
        let by_due = |a: &(Person, GoalProgress), b: &(Person, GoalProgress)| {
            (a.1.goal.due.as_str(), a.1.goal.id).cmp(&(b.1.goal.due.as_str(), b.1.goal.id))
        };
        due_soon.sort_by(by_due);
        overdue.sort_by(by_due);
        Ok(TeamPlans {
            cycle: cycle.map(|cycle| CycleState {
                cycle,
                manager: manager.clone(),
                members,
            }),
            manager,
            waiting,
            waiting_count,
            due_soon,
            overdue,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cycle(id: i64, starts: &str, ends: &str, closed: bool) -> Cycle {
        Cycle {
            id,
            name: format!("cycle {id}"),
            starts: starts.into(),
            ends: ends.into(),
            scope: CycleScope::Everyone,
            opened_at: "2026-01-01T00:00:00Z".into(),
            closed_at: closed.then(|| "2026-02-01T00:00:00Z".into()),
        }
    }

    #[test]
    fn the_current_cycle_is_the_open_one_holding_today_that_started_last() {
        let cycles = [
            cycle(1, "2026-01-01", "2026-12-31", false),
            cycle(2, "2026-03-01", "2026-03-31", false),
            cycle(3, "2026-03-10", "2026-03-20", true),
        ];
        assert_eq!(current_cycle(&cycles, "2026-03-15").map(|c| c.id), Some(2));
        // Its last day is still in it.
        assert_eq!(current_cycle(&cycles, "2026-03-31").map(|c| c.id), Some(2));
        assert_eq!(current_cycle(&cycles, "2026-04-01").map(|c| c.id), Some(1));
        assert_eq!(current_cycle(&cycles, "2027-01-01").map(|c| c.id), None);
    }

    #[test]
    fn times_count_within_the_cycle_by_their_day() {
        let c = cycle(1, "2026-03-01", "2026-03-31", false);
        let times = [
            "2026-02-28T23:59:59Z",
            "2026-03-31T23:00:00Z",
            "2026-04-01T00:00:00Z",
        ];
        assert_eq!(
            latest_within(&c, times.into_iter()).as_deref(),
            Some("2026-03-31T23:00:00Z")
        );
    }
}
