//! Skills in free text through the service: the built-in framework's skills found in the source
//! documents' duties, negation, a text against a role, and (when `ROLEMAP_ESCO_DIR` names the
//! ESCO files) the same duties against all of ESCO.

use std::path::PathBuf;

use rolemap_service::{ExtractReport, Service, SkillExtractor};
use rolemap_store::{ConceptKind, ConceptText};

use crate::service;

async fn duties(service: &Service, role: &str) -> String {
    let role = service.role(role, None).await.expect("role");
    role.duties
        .iter()
        .map(|d| d.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn labels(report: &ExtractReport) -> Vec<String> {
    let mut labels: Vec<String> = report
        .skills
        .iter()
        .map(|s| s.skill.label.to_lowercase())
        .collect();
    labels.sort();
    labels
}

#[tokio::test]
async fn operations_manager_duties_yield_the_builtin_skills_they_speak_of() {
    let service = service().await;
    let text = duties(&service, "standards:operations-or-departmental-manager").await;
    let report = service.extract(&text, None, true).await.expect("extract");
    let found = labels(&report);
    for expected in ["manage budgets", "operational leadership and management"] {
        assert!(
            found.iter().any(|l| l == expected),
            "{expected} missing from {found:?}"
        );
    }
    // Every mention points at the words it names.
    for mention in &report.mentions {
        let span: String = text
            .chars()
            .skip(mention.start)
            .take(mention.end - mention.start)
            .collect();
        assert_eq!(span, mention.text);
    }
}

#[tokio::test]
async fn negated_mentions_are_reported_not_counted() {
    let service = service().await;
    let report = service
        .extract(
            "There is no budget responsibility: you will not manage budgets. Training employees \
             is not required.",
            Some("esco-extract"),
            false,
        )
        .await
        .expect("extract");
    assert!(report.skills.is_empty(), "{:?}", labels(&report));
    let negated: Vec<(&str, &str)> = report
        .mentions
        .iter()
        .filter(|m| m.negated)
        .map(|m| (m.text.as_str(), m.skill.label.as_str()))
        .collect();
    assert_eq!(
        negated,
        [
            ("manage budgets", "manage budgets"),
            ("Training employees", "train employees")
        ]
    );
}

#[tokio::test]
async fn an_unknown_framework_is_named() {
    let service = service().await;
    let error = service
        .extract("manage budgets", Some("nope"), true)
        .await
        .expect_err("no such framework");
    assert_eq!(error.code(), "not_found");
}

#[tokio::test]
async fn a_text_against_a_role_shows_what_it_evidences_and_what_not() {
    let service = service().await;
    let cv = "Ten years of leadership and people management in a contact centre.\n\
              I have no budget experience.";
    let gap = service
        .text_gap("cv.txt", cv, "odp:operations-manager")
        .await
        .expect("gap");
    let leadership = gap
        .lines
        .iter()
        .find(|l| l.key == "operational-leadership-and-management")
        .expect("a requirement of the role");
    assert!(!leadership.evidence.is_empty());
    let evidence = &leadership.evidence[0];
    assert_eq!(evidence.signal, "paraphrase");
    assert_eq!(evidence.text, "leadership and people management");
    assert_eq!(evidence.words, ["leadership", "management"]);
    let ((essential_found, essential), _) = gap.coverage();
    assert!(essential_found >= 1 && essential_found < essential);
    let error = service
        .text_gap("empty.txt", "  ", "odp:operations-manager")
        .await
        .expect_err("empty text");
    assert!(error.to_string().contains("empty.txt"), "{error}");
}

/// The source documents' duties against all of ESCO's 13,896 skills, when the files are there.
#[test]
fn duties_against_esco_yield_the_skills_they_describe() {
    let Some(dir) = std::env::var_os("ROLEMAP_ESCO_DIR") else {
        eprintln!("skipped: ROLEMAP_ESCO_DIR not set");
        return;
    };
    let data = rolemap_formats::esco::open(
        &[PathBuf::from(dir)],
        rolemap_formats::esco::EscoOptions {
            skip_dangling: true,
            ..Default::default()
        },
        &mut |_, _| {},
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let texts: Vec<ConceptText> = data
        .skills
        .iter()
        .enumerate()
        .map(|(i, s)| ConceptText {
            kind: ConceptKind::Skill,
            id: i as i64 + 1,
            framework_key: "esco".into(),
            key: s.uri.clone(),
            label: s.preferred_label.clone(),
            alternative: s.alt_labels.clone(),
            hidden: s.hidden_labels.clone(),
            description: s.description.clone(),
            reuse: s.reuse,
        })
        .collect();
    let extractor = SkillExtractor::build(&texts).expect("builds");
    let check = |text: &str, groups: &[&[&str]]| {
        let report = extractor.extract(text, true);
        // The skills found and the labels they were found by.
        let mut found = labels(&report);
        found.extend(
            report
                .mentions
                .iter()
                .filter(|m| !m.negated)
                .map(|m| m.matched.to_lowercase()),
        );
        for group in groups {
            assert!(
                found.iter().any(|l| group.iter().any(|g| l.contains(g))),
                "none of {group:?} in {found:?}"
            );
        }
    };
    let bundles = rolemap_formats::builtin::frameworks().expect("built-in");
    let duties_of = |key: &str| -> String {
        bundles
            .iter()
            .flat_map(|b| &b.roles)
            .find(|r| r.key == key)
            .map(|r| {
                r.duties
                    .iter()
                    .map(|d| d.text.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .expect("duties")
    };
    // Each group: words of a skill's label, or of the label that found it. ESCO has no skill
    // worded as "change and agile transformation programmes"; the duty's "projects ... change"
    // gives "manage project changes".
    check(
        &duties_of("senior-leader"),
        &[
            &["strateg"],
            &["change"],
            &["risk", "crisis"],
            &["stakeholder"],
            &["coach", "mentor", "talent", "succession"],
            &["governance", "compliance", "legal bodies"],
        ],
    );
    check(
        &duties_of("operations-or-departmental-manager"),
        &[
            &["staff", "team", "people", "leadership"],
            &["budget", "resource"],
            &["data", "performance indicator", "metric"],
            &["stakeholder"],
            &["risk"],
            &["continuous improvement", "improve"],
        ],
    );
}
