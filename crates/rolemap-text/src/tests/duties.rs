//! The source documents' own duty statements against the small hand-written skill list.

use super::*;

/// Seed 003: the Senior leader standard's 12 duties.
const SENIOR_LEADER_DUTIES: &str = "Set the overall strategic direction of their area of responsibility in partnership with the Board (or equivalent), encouraging employees to buy into the organisation’s vision.
Lead on the development and critical review of operational policies and practices within their area of responsibility, to ensure they are aligned to the needs of the organisation and remain fit for purpose and sustainable.
Lead and influence agreed projects to deliver organisational strategy such as change and agile transformation programmes, diversification, new product implementation, and customer experience improvement.
Make decisions about organisational resource requirements (budgets, people, technology) based on strategic insight and reliable evidence.
Lead and respond to crisis management, assessing the risks and opportunities which could affect the business/department performance, and finding solutions that meet the needs of both the organisation and its customers/stakeholders in a responsible and ethical way.
Lead people development including talent management, succession planning, workforce design, and coaching, and mentoring arrangements for people within their area of responsibility.
Promote an ethical, inclusive, innovative, and supportive culture that generates continuous business improvement.
Report to the Board (or relevant governance/management structure) on the progress of their operational activities towards achieving business goals.
Cultivate and maintain collaborative relationships with key senior internal and external stakeholders to influence key decision makers as appropriate.
Shape the approach to external communications for their area of responsibility and ensure it aligns with any wider organisational communications strategy.
Proactively keep up to date with social, economic and technological trends and developments relevant to their area of responsibility and wider organisation, and promote innovation to address changing requirements and to take advantage of new opportunities.
Ensure that their area of responsibility is compliant with internal governance, such as any assurance framework requirements, and with external governance, such as any regulatory and statutory requirements.";

/// Seed 000/001: the operations manager's duties.
const OPERATIONS_MANAGER_DUTIES: &str = "Provide leadership and people management.
Keep up to date with IT and digital interventions such as Artificial Intelligence (AI) and software that can be used in their sector.
Analyse, interpret and cascade data to enable tracking, trend analysis and metric reporting to enable decision making for managing objectives and targets.
Manage and influence activities and projects within budget and resources to deliver change and continuous improvement.
Collaborate with and manage stakeholder relationships.
Lead the creation and implementation of their resource plans considering future organisation needs and impact on change requirements.
Interpret and comply with relevant legislation and regulation and the impact on their organisation.
Lead the team and individual training needs and support continuous professional development.
Lead and respond to risk management, assessing the opportunities which could affect individual and team performance, and finding solutions that meet their needs.
Develop and implement their operational plan that aligns with the strategic direction of the organisation.";

#[test]
fn senior_leader_duties_yield_strategy_change_risk_stakeholders_coaching_governance() {
    let skills = skills_of(SENIOR_LEADER_DUTIES);
    for expected in [
        "strategic planning",
        "lead change",
        "risk management",
        "stakeholder management",
        "coaching",
        "corporate governance",
    ] {
        assert!(
            skills.contains(&expected),
            "{expected} missing from {skills:?}"
        );
    }
}

#[test]
fn operations_manager_duties_yield_people_budgets_data_stakeholders_risk_improvement() {
    let skills = skills_of(OPERATIONS_MANAGER_DUTIES);
    for expected in [
        "people management",
        "manage resources",
        "data analysis",
        "stakeholder management",
        "risk management",
        "continuous improvement",
    ] {
        assert!(
            skills.contains(&expected),
            "{expected} missing from {skills:?}"
        );
    }
}
