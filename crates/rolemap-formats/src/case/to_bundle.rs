//! The rolemap framework a CASE package describes: items as skills, rubric criteria as scales.

use super::*;

/// The framework key a package is stored under unless the user names one: `case-` and the first
/// eight characters of the document's identifier, lower-cased.
pub fn default_key(package: &CasePackage) -> String {
    let id: String = package
        .identifier()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    format!("case-{}", id.to_ascii_lowercase())
}

/// The rolemap framework a package describes, stored under `key`.
pub fn to_bundle(
    package: &CasePackage,
    key: &str,
    file: &str,
) -> Result<FrameworkBundle, Diagnostics> {
    let document = &package.document;
    let version = [
        text(document, "version"),
        text(document, "lastChangeDateTime"),
    ]
    .into_iter()
    .find(|v| !v.is_empty())
    .unwrap_or("1")
    .to_owned();
    let licence = document
        .get("licenseURI")
        .and_then(|l| l.get("title"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let attribution = [text(document, "publisher"), text(document, "creator")]
        .into_iter()
        .find(|v| !v.is_empty())
        .unwrap_or("")
        .to_owned();
    let mut problems = Vec::new();
    let mut scales = Vec::new();
    let mut item_scale: HashMap<&str, String> = HashMap::new();
    for (r, rubric) in package.rubrics.iter().enumerate() {
        let criteria = rubric
            .get("CFRubricCriteria")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for (c, criterion) in criteria.iter().enumerate() {
            let Some(criterion) = criterion.as_object() else {
                continue;
            };
            let mut levels: Vec<(f64, usize, &Map<String, Value>)> = criterion
                .get("CFRubricCriterionLevels")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .enumerate()
                .filter_map(|(i, l)| {
                    let l = l.as_object()?;
                    Some((l.get("score")?.as_f64()?, i, l))
                })
                .collect();
            if levels.is_empty() {
                continue;
            }
            // Lowest score first; equal scores keep their order in the file.
            levels.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut codes: HashSet<String> = HashSet::new();
            let defs = levels
                .iter()
                .map(|(score, _, level)| {
                    let mut code = score.to_string();
                    let mut n = 2;
                    while !codes.insert(code.to_ascii_lowercase()) {
                        code = format!("{score}-{n}");
                        n += 1;
                    }
                    let quality = text(level, "quality");
                    let description = text(level, "description");
                    LevelDef {
                        code,
                        name: if quality.is_empty() {
                            description
                        } else {
                            quality
                        }
                        .to_owned(),
                        descriptor: description.to_owned(),
                    }
                })
                .collect();
            let scale_key = text(criterion, "identifier").to_owned();
            let name = [
                text(criterion, "category"),
                text(criterion, "description"),
                text(rubric, "title"),
            ]
            .into_iter()
            .find(|v| !v.is_empty())
            .unwrap_or("CASE rubric criterion")
            .to_owned();
            match Scale::new(scale_key.clone(), name, defs) {
                Ok(scale) => scales.push(scale),
                Err(e) => problems.push(problem(
                    file,
                    (0, 0),
                    &format!("CFRubrics[{r}].CFRubricCriteria[{c}]"),
                    "invalid-scale",
                    e.to_string(),
                )),
            }
            if let Some(item) = criterion
                .get("CFItemURI")
                .and_then(|i| i.get("identifier"))
                .and_then(Value::as_str)
            {
                item_scale.entry(item).or_insert(scale_key);
            }
        }
    }
    let skills = sibling_order(package)
        .into_iter()
        .filter_map(|i| package.items.get(i))
        .map(|item| {
            let id = text(item, "identifier");
            let full = text(item, "fullStatement");
            let abbreviated = text(item, "abbreviatedStatement");
            let code = text(item, "humanCodingScheme");
            let label = if abbreviated.is_empty() {
                full
            } else {
                abbreviated
            };
            let item_type = [text(item, "CFItemType")]
                .into_iter()
                .filter(|t| !t.is_empty())
                .map(str::to_lowercase)
                .collect();
            SkillDef {
                key: id.to_owned(),
                label: label.to_owned(),
                alt_labels: (!code.is_empty() && code != label)
                    .then(|| code.to_owned())
                    .into_iter()
                    .collect(),
                description: full.to_owned(),
                kind: SkillKind::Skill,
                reuse: None,
                tags: item_type,
                scale: item_scale.get(id).cloned(),
            }
        })
        .collect();
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    Ok(FrameworkBundle {
        framework: FrameworkMeta {
            key: key.to_owned(),
            name: text(document, "title").to_owned(),
            version,
            source: text(document, "uri").to_owned(),
            licence,
            attribution,
            description: text(document, "description").to_owned(),
        },
        scales,
        ladders: Vec::new(),
        families: Vec::new(),
        skills,
        roles: Vec::new(),
        links: Vec::new(),
    })
}

/// The items' indexes in the order of the tree the `isChildOf` associations draw, depth first
/// from the document: siblings by sequence number, then list enumeration, then human coding scheme
/// in natural order ("OPS.2" before "OPS.10"), then file order. Items no `isChildOf` places
/// under the document follow, in file order.
pub(super) fn sibling_order(package: &CasePackage) -> Vec<usize> {
    let index: HashMap<&str, usize> = package
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| (text(item, "identifier"), i))
        .collect();
    // Children per parent identifier, with the association's sequence number.
    let mut children: HashMap<&str, Vec<(Option<i64>, usize)>> = HashMap::new();
    for association in &package.associations {
        if text(association, "associationType") != "isChildOf" {
            continue;
        }
        let end = |key: &str| {
            association
                .get(key)
                .and_then(|n| n.get("identifier"))
                .and_then(Value::as_str)
                .unwrap_or("")
        };
        if let Some(&child) = index.get(end("originNodeURI")) {
            let sequence = association.get("sequenceNumber").and_then(sequence_number);
            children
                .entry(end("destinationNodeURI"))
                .or_default()
                .push((sequence, child));
        }
    }
    for siblings in children.values_mut() {
        siblings.sort_by(|a, b| {
            let (ia, ib) = (&package.items[a.1], &package.items[b.1]);
            // A missing sequence number sorts after every given one.
            (a.0.is_none(), a.0)
                .cmp(&(b.0.is_none(), b.0))
                .then_with(|| natural(text(ia, "listEnumeration"), text(ib, "listEnumeration")))
                .then_with(|| natural(text(ia, "humanCodingScheme"), text(ib, "humanCodingScheme")))
                .then(a.1.cmp(&b.1))
        });
    }
    let mut order = Vec::with_capacity(package.items.len());
    let mut placed = vec![false; package.items.len()];
    let mut stack: Vec<&str> = vec![package.identifier()];
    // Depth first, each parent's children in sibling order; an item met twice (two parents, or a
    // cycle) is placed once, where it is first met.
    let mut pending: Vec<usize> = Vec::new();
    while let Some(parent) = stack.pop() {
        if let Some(siblings) = children.get(parent) {
            pending.clear();
            pending.extend(siblings.iter().map(|(_, i)| *i).filter(|i| !placed[*i]));
            for &child in pending.iter().rev() {
                stack.push(text(&package.items[child], "identifier"));
            }
        }
        if let Some(&i) = index.get(parent)
            && !placed[i]
        {
            placed[i] = true;
            order.push(i);
        }
    }
    order.extend((0..package.items.len()).filter(|i| !placed[*i]));
    order
}

/// Natural order: runs of digits compare as numbers, the rest as text; "" sorts last.
pub(super) fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let (mut a, mut b) = (a, b);
    loop {
        match (a.chars().next(), b.chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.len() - a.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let db = b.len() - b.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let (na, nb) = (
                    a[..da].trim_start_matches('0'),
                    b[..db].trim_start_matches('0'),
                );
                let by_number = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if by_number != Ordering::Equal {
                    return by_number;
                }
                a = &a[da..];
                b = &b[db..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(&y);
                }
                a = &a[x.len_utf8()..];
                b = &b[y.len_utf8()..];
            }
        }
    }
}
