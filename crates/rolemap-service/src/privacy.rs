//! The audit log read back, and the privacy rights it serves: everything held about a person as
//! one document, erasure, and the retention purge of old assessments.
//!
//! Erasure and the purge go through the one path the append-only rules allow (the store's
//! `erase_person` and `purge_assessments`, migration 0020); the audit log keeps a tombstone of
//! each, named by a random word rather than by anything of the person's.

use rolemap_core::PersonId;
use rolemap_store::{Actor, AuditEntry, AuditFilter, Erasure};
use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime};

use crate::accounts::stamp;
use crate::dto::{
    AssessmentDto, AuditEntryDto, GoalDto, PersonDto, PersonExportDto, PersonReviewsDto, UserDto,
};
use crate::{Result, Service, ServiceError};

/// What to read of the audit log, as typed: names rather than ids, times as dates or RFC 3339.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// A person's id, key or name: the entries about them.
    pub person: Option<String>,
    /// A username: the entries of what they did.
    pub user: Option<String>,
    /// An action (`person.add`) or the start of one (`person`, `assessment`).
    pub action: Option<String>,
    /// From this date or time on.
    pub since: Option<String>,
    /// Before this date or time.
    pub until: Option<String>,
    /// Entries older than the one of this number (paging back).
    pub before_id: Option<i64>,
    pub limit: Option<u32>,
}

/// What erasing a person did, and the tombstone's name.
#[derive(Debug, Clone)]
pub struct Erased {
    pub tombstone: String,
    pub erasure: Erasure,
}

impl Service {
    /// The audit entries a query asks for, newest first. A person or user that is not stored
    /// is not found (an erased person's entries are the tombstone's and carry no name).
    pub async fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>> {
        let person = match given(&query.person) {
            Some(typed) => Some(self.resolve_person(typed).await?),
            None => None,
        };
        let user = match given(&query.user) {
            Some(typed) => Some(self.user_named(typed).await?.id),
            None => None,
        };
        let filter = AuditFilter {
            person,
            user,
            action: given(&query.action).map(str::to_owned),
            since: given(&query.since)
                .map(|t| time_bound("since", t))
                .transpose()?,
            until: given(&query.until)
                .map(|t| time_bound("until", t))
                .transpose()?,
            before_id: query.before_id,
            limit: query.limit,
        };
        Ok(self.store.audit_entries(&filter).await?)
    }

    /// Everything held about a person, as they may take it away: their record, their user
    /// account (without password), every assessment, the reviews of their self-ratings, their
    /// development goals and every audit entry about them.
    pub async fn person_export(&self, typed: &str) -> Result<PersonExportDto> {
        let person = self.person(typed).await?;
        let user = self.store.user_by_person(person.id).await?;
        let assessments = self.store.assessments(person.id).await?;
        let reviews = self.reviews_of(typed).await?;
        let now = crate::now();
        let goals = self.goals_of(typed, &now).await?;
        let mut audit = self
            .store
            .audit_entries(&AuditFilter {
                person: Some(person.id),
                ..AuditFilter::default()
            })
            .await?;
        audit.reverse();
        Ok(PersonExportDto {
            exported_at: now,
            person: PersonDto::from(&person),
            user: user.as_ref().map(UserDto::from),
            assessments: assessments.iter().map(AssessmentDto::from).collect(),
            reviews: PersonReviewsDto::from(&reviews),
            goals: goals.iter().map(GoalDto::from).collect(),
            audit: audit.iter().map(AuditEntryDto::from).collect(),
        })
    }

    /// Erases a person: their assessments and personal fields go, a linked user is disabled
    /// and unlinked, and the audit log keeps a tombstone under a random name.
    pub async fn erase_person(&self, typed: &str, actor: &Actor) -> Result<Erased> {
        let person: PersonId = self.resolve_person(typed).await?;
        let user = self.store.user_by_person(person).await?;
        let tombstone = format!("erased-{}", random_word()?);
        let erasure = self
            .store
            .erase_person(person, &tombstone, actor, &crate::now())
            .await?;
        if let Some(user) = user {
            // Their sessions and tokens sign no one in from now on, in this process too.
            self.credentials.forget_user(user.id);
        }
        Ok(Erased { tombstone, erasure })
    }

    /// Deletes the assessments older than `age` (`3y`, `18m`, `6w`, `90d`) in one audited
    /// transaction; returns the time before which they went, and how many.
    pub async fn purge_assessments(&self, age: &str, actor: &Actor) -> Result<(String, u64)> {
        let before = stamp(cutoff(age, OffsetDateTime::now_utc())?);
        let purged = self
            .store
            .purge_assessments(&before, actor, &crate::now())
            .await?;
        Ok((before, purged))
    }
}

fn given(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// 16 hex digits from the operating system's randomness: a tombstone's name, which tells
/// nothing of whom it stands for.
fn random_word() -> Result<String> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes)
        .map_err(|e| ServiceError::Internal(format!("no randomness for a tombstone: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A time typed as a date (`2026-01-31`, midnight UTC) or RFC 3339, as the audit log stores
/// times.
fn time_bound(field: &str, typed: &str) -> Result<String> {
    if let Ok(at) = OffsetDateTime::parse(typed, &Rfc3339) {
        return Ok(stamp(at));
    }
    let date_format = time::macros::format_description!("[year]-[month]-[day]");
    match Date::parse(typed, date_format) {
        Ok(date) => Ok(stamp(date.midnight().assume_utc())),
        Err(_) => Err(ServiceError::invalid(
            field,
            format!("'{typed}' is neither a date (2026-01-31) nor an RFC 3339 time"),
        )),
    }
}

/// `now` less an age typed as a whole number and a unit: `d` days, `w` weeks, `m` calendar
/// months, `y` calendar years (the 31st less a month is the month's last day).
pub fn cutoff(age: &str, now: OffsetDateTime) -> Result<OffsetDateTime> {
    let typed = age.trim();
    let invalid = || {
        ServiceError::invalid(
            "older_than",
            format!("'{typed}' is not an age such as 3y, 18m, 6w or 90d"),
        )
    };
    let unit = typed.chars().last().ok_or_else(invalid)?;
    let number: u32 = typed[..typed.len() - unit.len_utf8()]
        .parse()
        .map_err(|_| invalid())?;
    if number == 0 {
        return Err(invalid());
    }
    let at = match unit.to_ascii_lowercase() {
        'd' => now.checked_sub(time::Duration::days(i64::from(number))),
        'w' => now.checked_sub(time::Duration::weeks(i64::from(number))),
        'm' => months_back(now, number),
        'y' => months_back(now, number.saturating_mul(12)),
        _ => None,
    };
    at.ok_or_else(invalid)
}

fn months_back(at: OffsetDateTime, months: u32) -> Option<OffsetDateTime> {
    let total = i64::from(at.year()) * 12 + i64::from(u8::from(at.month())) - 1 - i64::from(months);
    let year = i32::try_from(total.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(total.rem_euclid(12) + 1).ok()?).ok()?;
    let day = at.day().min(month.length(year));
    Some(at.replace_date(Date::from_calendar_date(year, month, day).ok()?))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn at(text: &str) -> OffsetDateTime {
        OffsetDateTime::parse(text, &Rfc3339).unwrap()
    }

    #[test]
    fn ages_count_back_by_the_calendar() {
        let now = at("2026-03-31T12:00:00Z");
        assert_eq!(stamp(cutoff("3y", now).unwrap()), "2023-03-31T12:00:00Z");
        assert_eq!(stamp(cutoff("1m", now).unwrap()), "2026-02-28T12:00:00Z");
        assert_eq!(stamp(cutoff("15m", now).unwrap()), "2024-12-31T12:00:00Z");
        assert_eq!(stamp(cutoff("2w", now).unwrap()), "2026-03-17T12:00:00Z");
        assert_eq!(stamp(cutoff(" 90d ", now).unwrap()), "2025-12-31T12:00:00Z");
        let leap = at("2024-02-29T00:00:00Z");
        assert_eq!(stamp(cutoff("1y", leap).unwrap()), "2023-02-28T00:00:00Z");
    }

    #[test]
    fn an_age_without_a_number_or_unit_is_refused_naming_the_field() {
        for bad in ["", "y", "3", "0y", "3x", "-1y", "3yy", "é"] {
            let error = cutoff(bad, at("2026-01-01T00:00:00Z")).unwrap_err();
            assert!(
                matches!(&error, ServiceError::Invalid { field, .. } if field == "older_than"),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn audit_times_are_dates_or_rfc_3339_in_utc() {
        assert_eq!(
            time_bound("since", "2026-01-31").unwrap(),
            "2026-01-31T00:00:00Z"
        );
        assert_eq!(
            time_bound("since", "2026-01-31T10:00:00+02:00").unwrap(),
            "2026-01-31T08:00:00Z"
        );
        assert!(time_bound("until", "yesterday").is_err());
    }
}
