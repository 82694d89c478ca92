//! The draft editor's form: every field of a framework document as an input named by the
//! reader's field path, grouped in sections, and each problem of an edit placed at its input.

use super::*;

pub(super) fn input_id(path: &str) -> String {
    let mut id = String::from("f-");
    id.extend(
        path.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }),
    );
    id
}

/// Builds inputs, filling in what was typed where a form came back refused.
pub(super) struct Inputs<'a> {
    pub(super) typed: &'a HashMap<String, String>,
}

impl Inputs<'_> {
    fn make(&self, path: String, label: &str, kind: &'static str, value: String) -> Input {
        let value = self.typed.get(&path).cloned().unwrap_or(value);
        Input {
            id: input_id(&path),
            name: path,
            label: label.to_owned(),
            kind,
            value,
            options: Vec::new(),
            hint: String::new(),
            error: None,
        }
    }

    fn text(&self, path: String, label: &str, value: &str) -> Input {
        self.make(path, label, "text", value.to_owned())
    }

    fn long(&self, path: String, label: &str, value: &str) -> Input {
        self.make(path, label, "long", value.to_owned())
    }

    fn lines(&self, path: String, label: &str, values: &[String]) -> Input {
        self.make(path, label, "lines", values.join("\n"))
    }

    fn select(
        &self,
        path: String,
        label: &str,
        value: &str,
        options: Vec<(String, String)>,
    ) -> Input {
        let mut input = self.make(path, label, "select", value.to_owned());
        input.options = options;
        input
    }
}

pub(super) fn choices<'a>(
    blank: &str,
    values: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<(String, String)> {
    std::iter::once((String::new(), blank.to_owned()))
        .chain(values.map(|(v, l)| (v.to_owned(), l.to_owned())))
        .collect()
}

pub(super) fn sections(bundle: &FrameworkBundle, inputs: &Inputs<'_>) -> Vec<Section> {
    let meta = &bundle.framework;
    let mut out = vec![Section {
        anchor: "framework".into(),
        title: "Framework".into(),
        groups: vec![Group {
            title: String::new(),
            remove: None,
            inputs: vec![
                inputs.text("framework.key".into(), "Key", &meta.key),
                inputs.text("framework.name".into(), "Name", &meta.name),
                inputs.text("framework.version".into(), "Version", &meta.version),
                inputs.text("framework.source".into(), "Source", &meta.source),
                inputs.text("framework.licence".into(), "Licence", &meta.licence),
                inputs.long(
                    "framework.attribution".into(),
                    "Attribution",
                    &meta.attribution,
                ),
                inputs.long(
                    "framework.description".into(),
                    "Description",
                    &meta.description,
                ),
            ],
            children: Vec::new(),
            add: None,
        }],
        add: None,
        open: false,
    }];

    out.push(Section {
        anchor: "scales".into(),
        title: "Scales and level descriptors".into(),
        groups: bundle
            .scales
            .iter()
            .enumerate()
            .map(|(i, s)| Group {
                title: format!("Scale {}", s.key()),
                remove: Some(format!("scales[{i}]")),
                inputs: vec![
                    inputs.text(format!("scales[{i}].key"), "Key", s.key()),
                    inputs.text(format!("scales[{i}].name"), "Name", s.name()),
                ],
                children: s
                    .levels()
                    .iter()
                    .enumerate()
                    .map(|(j, l)| Group {
                        title: format!("Level {} ({})", j + 1, l.code),
                        remove: Some(format!("scales[{i}].levels[{j}]")),
                        inputs: vec![
                            inputs.text(format!("scales[{i}].levels[{j}].code"), "Code", &l.code),
                            inputs.text(format!("scales[{i}].levels[{j}].name"), "Name", &l.name),
                            inputs.long(
                                format!("scales[{i}].levels[{j}].descriptor"),
                                "Descriptor",
                                &l.descriptor,
                            ),
                        ],
                        children: Vec::new(),
                        add: None,
                    })
                    .collect(),
                add: Some((format!("scales[{i}].levels"), "Add a level".into())),
            })
            .collect(),
        add: Some(("scales".into(), "Add a scale".into())),
        open: false,
    });

    out.push(Section {
        anchor: "grades".into(),
        title: "Grade ladders".into(),
        groups: bundle
            .ladders
            .iter()
            .enumerate()
            .map(|(i, l)| Group {
                title: format!("Grade ladder {}", l.key),
                remove: Some(format!("grade_ladders[{i}]")),
                inputs: vec![
                    inputs.text(format!("grade_ladders[{i}].key"), "Key", &l.key),
                    inputs.text(format!("grade_ladders[{i}].name"), "Name", &l.name),
                ],
                children: l
                    .grades
                    .iter()
                    .enumerate()
                    .map(|(j, g)| Group {
                        title: format!("Grade {}", j + 1),
                        remove: Some(format!("grade_ladders[{i}].grades[{j}]")),
                        inputs: vec![
                            inputs.text(
                                format!("grade_ladders[{i}].grades[{j}].code"),
                                "Code",
                                &g.code,
                            ),
                            inputs.text(
                                format!("grade_ladders[{i}].grades[{j}].name"),
                                "Name",
                                &g.name,
                            ),
                        ],
                        children: Vec::new(),
                        add: None,
                    })
                    .collect(),
                add: Some((format!("grade_ladders[{i}].grades"), "Add a grade".into())),
            })
            .collect(),
        add: Some(("grade_ladders".into(), "Add a grade ladder".into())),
        open: false,
    });

    out.push(Section {
        anchor: "families".into(),
        title: "Job families".into(),
        groups: bundle
            .families
            .iter()
            .enumerate()
            .map(|(i, f)| Group {
                title: f.name.clone(),
                remove: Some(format!("families[{i}]")),
                inputs: vec![
                    inputs.text(format!("families[{i}].key"), "Key", &f.key),
                    inputs.text(format!("families[{i}].name"), "Name", &f.name),
                    inputs.long(
                        format!("families[{i}].description"),
                        "Description",
                        &f.description,
                    ),
                ],
                children: Vec::new(),
                add: None,
            })
            .collect(),
        add: Some(("families".into(), "Add a job family".into())),
        open: false,
    });

    let kinds = choices(
        "",
        rolemap_core::SkillKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.as_str())),
    )
    .into_iter()
    .skip(1)
    .collect::<Vec<_>>();
    let scale_choices = choices(
        "no scale",
        bundle.scales.iter().map(|s| (s.key(), s.name())),
    );
    out.push(Section {
        anchor: "skills".into(),
        title: "Skills".into(),
        groups: bundle
            .skills
            .iter()
            .enumerate()
            .map(|(i, s)| Group {
                title: s.label.clone(),
                remove: Some(format!("skills[{i}]")),
                inputs: vec![
                    inputs.text(format!("skills[{i}].key"), "Key", &s.key),
                    inputs.text(format!("skills[{i}].label"), "Label", &s.label),
                    inputs.lines(
                        format!("skills[{i}].alt_labels"),
                        "Other labels (one a line)",
                        &s.alt_labels,
                    ),
                    inputs.long(
                        format!("skills[{i}].description"),
                        "Description",
                        &s.description,
                    ),
                    inputs.select(
                        format!("skills[{i}].kind"),
                        "Kind",
                        s.kind.as_str(),
                        kinds.clone(),
                    ),
                    inputs.lines(format!("skills[{i}].tags"), "Tags (one a line)", &s.tags),
                    inputs.select(
                        format!("skills[{i}].scale"),
                        "Scale",
                        s.scale.as_deref().unwrap_or_default(),
                        scale_choices.clone(),
                    ),
                ],
                children: Vec::new(),
                add: None,
            })
            .collect(),
        add: Some(("skills".into(), "Add a skill".into())),
        open: false,
    });

    let family_choices = choices(
        "no job family",
        bundle
            .families
            .iter()
            .map(|f| (f.key.as_str(), f.name.as_str())),
    );
    let ladder_choices = choices(
        "no grades",
        bundle
            .ladders
            .iter()
            .map(|l| (l.key.as_str(), l.name.as_str())),
    );
    let skill_choices: Vec<(String, String)> = bundle
        .skills
        .iter()
        .map(|s| (s.key.clone(), s.label.clone()))
        .collect();
    let importance = vec![
        ("essential".to_owned(), "essential".to_owned()),
        ("optional".to_owned(), "optional".to_owned()),
    ];
    for (i, role) in bundle.roles.iter().enumerate() {
        let mut role_inputs = vec![
            inputs.text(format!("roles[{i}].key"), "Key", &role.key),
            inputs.text(format!("roles[{i}].title"), "Title", &role.title),
            inputs.long(format!("roles[{i}].summary"), "Summary", &role.summary),
            inputs.long(
                format!("roles[{i}].description"),
                "Description",
                &role.description,
            ),
            inputs.lines(
                format!("roles[{i}].typical_titles"),
                "Typical job titles (one a line)",
                &role.typical_titles,
            ),
            inputs.lines(
                format!("roles[{i}].alt_titles"),
                "Other titles (one a line)",
                &role.alt_titles,
            ),
            inputs.select(
                format!("roles[{i}].family"),
                "Job family",
                role.family.as_deref().unwrap_or_default(),
                family_choices.clone(),
            ),
            inputs.text(
                format!("roles[{i}].level"),
                "Level (1 to 10)",
                &role.level.map(|l| l.to_string()).unwrap_or_default(),
            ),
            inputs.select(
                format!("roles[{i}].grade_ladder"),
                "Grade ladder",
                role.ladder.as_deref().unwrap_or_default(),
                ladder_choices.clone(),
            ),
            inputs.lines(
                format!("roles[{i}].grades"),
                "Grades (one a line)",
                &role.grades,
            ),
        ];
        let duties: Vec<String> = role.duties.iter().map(|d| d.text.clone()).collect();
        role_inputs.push(inputs.lines(
            format!("roles[{i}].duties"),
            "Duties (one a line)",
            &duties,
        ));
        role_inputs.push(inputs.lines(
            format!("roles[{i}].responsibilities"),
            "Responsibilities (one a line)",
            &role.responsibilities,
        ));
        let mut children: Vec<Group> = role
            .dimensions
            .iter()
            .enumerate()
            .map(|(j, d)| Group {
                title: format!("Dimension: {}", d.name),
                remove: Some(format!("roles[{i}].dimensions[{j}]")),
                inputs: vec![
                    inputs.text(format!("roles[{i}].dimensions[{j}].key"), "Key", &d.key),
                    inputs.text(format!("roles[{i}].dimensions[{j}].name"), "Name", &d.name),
                    inputs.long(format!("roles[{i}].dimensions[{j}].text"), "Text", &d.text),
                ],
                children: Vec::new(),
                add: None,
            })
            .collect();
        for (j, q) in role.requirements.iter().enumerate() {
            let base = format!("roles[{i}].requirements[{j}]");
            let scale = bundle
                .skills
                .iter()
                .find(|s| s.key == q.skill)
                .and_then(|s| s.scale.as_deref())
                .and_then(|k| bundle.scales.iter().find(|sc| sc.key() == k));
            let hint = scale.map_or_else(
                || "this skill has no scale, so no levels".to_owned(),
                |sc| format!("levels: {}", sc.valid_list()),
            );
            let label = skill_choices
                .iter()
                .find(|(k, _)| *k == q.skill)
                .map_or(q.skill.as_str(), |(_, l)| l.as_str());
            let mut req_inputs = vec![
                inputs.select(
                    format!("{base}.skill"),
                    "Skill",
                    &q.skill,
                    skill_choices.clone(),
                ),
                inputs.select(
                    format!("{base}.importance"),
                    "Importance",
                    q.importance.as_str(),
                    importance.clone(),
                ),
                inputs.make(
                    format!("{base}.emphasis"),
                    "Emphasised",
                    "check",
                    if q.emphasis {
                        "yes".into()
                    } else {
                        String::new()
                    },
                ),
            ];
            if q.levels.is_empty() {
                let mut level = inputs.text(
                    format!("{base}.level"),
                    "Minimum level",
                    q.level.as_deref().unwrap_or_default(),
                );
                level.hint = hint.clone();
                req_inputs.push(level);
            } else {
                for (grade, code) in &q.levels {
                    let mut level = inputs.text(
                        format!("{base}.levels.{grade}"),
                        &format!("Minimum level at {grade}"),
                        code.as_deref().unwrap_or_default(),
                    );
                    level.hint = hint.clone();
                    req_inputs.push(level);
                }
            }
            req_inputs.push(inputs.text(format!("{base}.note"), "Note", &q.note));
            children.push(Group {
                title: format!("Requirement: {label}"),
                remove: Some(base.clone()),
                inputs: req_inputs,
                children: Vec::new(),
                add: None,
            });
        }
        out.push(Section {
            anchor: format!("role-{i}"),
            title: format!("Role: {}", role.title),
            groups: vec![Group {
                title: String::new(),
                remove: Some(format!("roles[{i}]")),
                inputs: role_inputs,
                children,
                add: Some((
                    format!("roles[{i}].requirements"),
                    "Add a requirement".into(),
                )),
            }],
            add: Some((format!("roles[{i}].dimensions"), "Add a dimension".into())),
            open: false,
        });
    }
    out.push(Section {
        anchor: "new-role".into(),
        title: "New role".into(),
        groups: Vec::new(),
        add: Some(("roles".into(), "Add a role".into())),
        open: false,
    });
    out
}

/// Puts each problem at the input it names (or the nearest one holding it) and opens its
/// section; returns the problems for the list at the top.
pub(super) fn place_problems(
    sections: &mut [Section],
    problems: &[rolemap_formats::Diagnostic],
) -> Vec<Problem> {
    fn visit<'s>(group: &'s mut Group, out: &mut Vec<&'s mut Input>) {
        out.extend(group.inputs.iter_mut());
        for child in &mut group.children {
            visit(child, out);
        }
    }
    let mut listed = Vec::new();
    for problem in problems {
        let mut placed = None;
        for section in sections.iter_mut() {
            let mut all = Vec::new();
            for group in &mut section.groups {
                visit(group, &mut all);
            }
            let holds = |name: &str| {
                problem.field == name
                    || problem.field.starts_with(&format!("{name}["))
                    || problem.field.starts_with(&format!("{name}."))
            };
            let best = all
                .into_iter()
                .filter(|input| holds(&input.name))
                .max_by_key(|input| input.name.len());
            if let Some(input) = best {
                let message = match &input.error {
                    Some(earlier) => format!("{earlier} {}", problem.message),
                    None => problem.message.clone(),
                };
                input.error = Some(message);
                placed = Some(input.id.clone());
                section.open = true;
                break;
            }
        }
        listed.push(Problem {
            field: problem.field.clone(),
            href: placed.map(|id| format!("#{id}")),
            message: problem.message.clone(),
        });
    }
    listed
}
