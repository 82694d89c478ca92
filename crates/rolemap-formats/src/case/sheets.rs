//! OpenSALT's CASE spreadsheet: sheets "CF Doc" (one row, the document), "CF Item" (a row per
//! item) and "CF Association" (a row per association), read into a [`CasePackage`] and written
//! from one.
//!
//! A column is the CASE field of its name, with these exceptions: `lastChangeDate` is the
//! document's lastChangeDateTime; `subject`, `conceptKeywords` and `educationLevel` are lists
//! (comma-separated in the cell); `licenseTitle`/`licenseText` (document) and `license` (item)
//! are a CFLicense of the package's CFDefinitions and its link; an association's ends are given by
//! identifier (the human coding scheme columns are the items' own, written for people and not
//! read); its type is written as words ("Is Child Of"). A column of another name (OpenSALT's
//! `smartLevel`) is kept as a string field of that name and written back. The sheets have no
//! URIs: an object's uri is `urn:uuid:` and its identifier when that is a UUID, else the
//! identifier itself if it is a URI, else `urn:x-rolemap:case:` and the identifier.

use super::*;
use crate::sheets::{Sheet, SheetRow, Workbook, column_letters};

/// The sheets of the layout, in order.
pub const SHEETS: [&str; 3] = ["CF Doc", "CF Item", "CF Association"];

/// OpenSALT's columns of each sheet, in its order.
const DOC_COLUMNS: [&str; 16] = [
    "identifier",
    "creator",
    "title",
    "lastChangeDate",
    "officialSourceURL",
    "publisher",
    "description",
    "subject",
    "language",
    "version",
    "adoptionStatus",
    "statusStartDate",
    "statusEndDate",
    "licenseTitle",
    "licenseText",
    "notes",
];
const ITEM_COLUMNS: [&str; 12] = [
    "identifier",
    "fullStatement",
    "humanCodingScheme",
    "smartLevel",
    "listEnumeration",
    "abbreviatedStatement",
    "conceptKeywords",
    "notes",
    "language",
    "educationLevel",
    "CFItemType",
    "license",
];
const ASSOCIATION_COLUMNS: [&str; 8] = [
    "identifier",
    "originNodeIdentifier",
    "originNodeHumanCodingScheme",
    "associationType",
    "destinationNodeHumanCodingScheme",
    "destinationNodeIdentifier",
    "associationGroupIdentifier",
    "associationGroupName",
];

/// Fields of a CASE object that the sheets carry some other way, or that are the package's
/// own (uris, links, dates): never an extra column.
const STRUCTURAL: [&str; 13] = [
    "uri",
    "CFDocumentURI",
    "CFPackageURI",
    "lastChangeDateTime",
    "licenseURI",
    "CFItemTypeURI",
    "subjectURI",
    "conceptKeywordsURI",
    "originNodeURI",
    "destinationNodeURI",
    "CFAssociationGroupingURI",
    "sequenceNumber",
    "associationType",
];

/// Fields that are lists of strings, written comma-separated.
const LISTS: [&str; 3] = ["subject", "conceptKeywords", "educationLevel"];

fn is_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *b == b'-'
            } else {
                b.is_ascii_hexdigit()
            }
        })
}

/// The uri an object of the sheets gets (they have none): see the module's documentation.
pub fn sheet_uri(identifier: &str) -> String {
    if is_uuid(identifier) {
        format!("urn:uuid:{identifier}")
    } else if identifier.contains("://") || identifier.starts_with("urn:") {
        identifier.to_owned()
    } else {
        format!("urn:x-rolemap:case:{identifier}")
    }
}

/// An association type as words ("isChildOf" as "Is Child Of"); `ext:` types as they are.
pub fn type_words(kind: &str) -> String {
    if kind.starts_with("ext:") {
        return kind.to_owned();
    }
    let mut words = String::new();
    for (i, c) in kind.chars().enumerate() {
        if i == 0 {
            words.extend(c.to_uppercase());
        } else if c.is_uppercase() {
            words.push(' ');
            words.push(c);
        } else {
            words.push(c);
        }
    }
    words
}

/// An association type from its words or its CASE name, if it is one of CASE's (or `ext:`).
fn type_name(text: &str) -> Option<String> {
    let text = text.trim();
    if text.starts_with("ext:") {
        return Some(text.to_owned());
    }
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    ASSOCIATION_TYPES
        .iter()
        .find(|t| t.eq_ignore_ascii_case(&squeezed))
        .map(|t| (*t).to_owned())
}

/// The cells of a row by column name (the header's), with their column numbers.
struct Columns {
    names: Vec<String>,
}

impl Columns {
    fn cell<'a>(&self, row: &'a SheetRow, name: &str) -> &'a str {
        self.names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(name))
            .and_then(|i| row.cells.get(i))
            .map_or("", |c| c.trim())
    }

    fn number(&self, name: &str) -> usize {
        self.names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(name))
            .map_or(0, |i| i + 1)
    }
}

struct SheetReader<'a> {
    file: &'a str,
    problems: Vec<Diagnostic>,
}

impl SheetReader<'_> {
    fn problem(
        &mut self,
        sheet: &str,
        row: usize,
        column: usize,
        field: &str,
        code: &'static str,
        message: String,
    ) {
        self.problems.push(Diagnostic {
            file: self.file.to_owned(),
            line: row,
            column,
            field: if column > 0 {
                format!("{sheet}!{}{row} {field}", column_letters(column))
            } else if field.is_empty() {
                sheet.to_owned()
            } else {
                format!("{sheet} {field}")
            },
            code,
            message,
        });
    }
}

fn list(cell: &str) -> Value {
    Value::Array(
        cell.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(Value::from)
            .collect(),
    )
}

/// Reads the three sheets of OpenSALT's CASE spreadsheet as a package. `file` names the file in
/// diagnostics, which give the sheet, row and column (`CF Item!B4 fullStatement`). Checks that
/// the three sheets are there; then the package as [`read`] checks a CFPackage.
pub fn from_sheets(file: &str, workbook: &Workbook) -> Result<CasePackage, Diagnostics> {
    let mut reader = SheetReader {
        file,
        problems: Vec::new(),
    };
    let missing: Vec<&str> = SHEETS
        .iter()
        .copied()
        .filter(|s| workbook.sheet(s).is_none())
        .collect();
    if !missing.is_empty() {
        let present: Vec<&str> = workbook.sheets.iter().map(|s| s.name.as_str()).collect();
        for sheet in missing {
            reader.problem(
                sheet,
                0,
                0,
                "",
                "missing-sheet",
                format!(
                    "the workbook has no sheet '{sheet}' (it has {}): OpenSALT's CASE spreadsheet has the sheets {}",
                    present.join(", "),
                    SHEETS.join(", ")
                ),
            );
        }
        return Err(Diagnostics(reader.problems));
    }
    let empty = Sheet::default();
    let doc_sheet = workbook.sheet(SHEETS[0]).unwrap_or(&empty);
    let item_sheet = workbook.sheet(SHEETS[1]).unwrap_or(&empty);
    let association_sheet = workbook.sheet(SHEETS[2]).unwrap_or(&empty);

    // The document: the first row after the header.
    let doc_columns = Columns {
        names: doc_sheet.header(),
    };
    let Some(doc_row) = doc_sheet.records().next() else {
        reader.problem(
            SHEETS[0],
            2,
            0,
            "",
            "missing-value",
            "the CF Doc sheet needs a row for the document under its header".to_owned(),
        );
        return Err(Diagnostics(reader.problems));
    };
    let doc_id = doc_columns.cell(doc_row, "identifier").to_owned();
    if doc_id.is_empty() {
        reader.problem(
            SHEETS[0],
            doc_row.number,
            doc_columns.number("identifier").max(1),
            "identifier",
            "missing-value",
            "the document needs its identifier".to_owned(),
        );
    }
    let changed = doc_columns.cell(doc_row, "lastChangeDate").to_owned();
    let mut document = Map::new();
    document.insert("identifier".to_owned(), Value::from(doc_id.as_str()));
    document.insert("uri".to_owned(), Value::from(sheet_uri(&doc_id)));
    let mut definitions: Option<Map<String, Value>> = None;
    let mut licences: Vec<Value> = Vec::new();
    // A licence (title, text) as a CFLicense, once per package; returns its link.
    let licence = |title: &str, text: &str, licences: &mut Vec<Value>| -> Value {
        let id = name_uuid(&format!("rolemap:case-sheet-licence:{title}\n{text}"));
        let uri = format!("urn:uuid:{id}");
        if !licences
            .iter()
            .any(|l| l.get("identifier").and_then(Value::as_str) == Some(id.as_str()))
        {
            licences.push(Value::Object(object(vec![
                ("identifier", Value::from(id.as_str())),
                ("uri", Value::from(uri.as_str())),
                ("title", Value::from(title)),
                ("licenseText", Value::from(text)),
                ("lastChangeDateTime", Value::from(changed.as_str())),
            ])));
        }
        link(title, &id, &uri)
    };
    for (i, name) in doc_columns.names.iter().enumerate() {
        let cell = doc_row.cells.get(i).map_or("", |c| c.trim());
        if cell.is_empty() || name.is_empty() {
            continue;
        }
        match name.as_str() {
            "identifier" | "licenseTitle" | "licenseText" => {}
            "lastChangeDate" => {
                document.insert("lastChangeDateTime".to_owned(), Value::from(cell));
            }
            n if LISTS.contains(&n) => {
                document.insert(n.to_owned(), list(cell));
            }
            n => {
                document.insert(n.to_owned(), Value::from(cell));
            }
        }
    }
    let licence_title = doc_columns.cell(doc_row, "licenseTitle");
    let licence_text = doc_columns.cell(doc_row, "licenseText");
    if !licence_title.is_empty() || !licence_text.is_empty() {
        let uri = licence(licence_title, licence_text, &mut licences);
        document.insert("licenseURI".to_owned(), uri);
    }
    let title = text(&document, "title").to_owned();
    let doc_link = link(&title, &doc_id, &sheet_uri(&doc_id));
    document.insert(
        "CFPackageURI".to_owned(),
        link(&title, &doc_id, &sheet_uri(&doc_id)),
    );

    // The items.
    let item_columns = Columns {
        names: item_sheet.header(),
    };
    let mut items = Vec::new();
    let mut item_uris: HashMap<String, (String, String)> = HashMap::new();
    item_uris.insert(doc_id.clone(), (sheet_uri(&doc_id), title.clone()));
    for row in item_sheet.records() {
        let id = item_columns.cell(row, "identifier").to_owned();
        if id.is_empty() {
            reader.problem(
                SHEETS[1],
                row.number,
                item_columns.number("identifier").max(1),
                "identifier",
                "missing-value",
                "an item needs its identifier".to_owned(),
            );
            continue;
        }
        let mut item = Map::new();
        item.insert("identifier".to_owned(), Value::from(id.as_str()));
        item.insert("uri".to_owned(), Value::from(sheet_uri(&id)));
        item.insert("CFDocumentURI".to_owned(), doc_link.clone());
        for (i, name) in item_columns.names.iter().enumerate() {
            let cell = row.cells.get(i).map_or("", |c| c.trim());
            if cell.is_empty() || name.is_empty() {
                continue;
            }
            match name.as_str() {
                "identifier" => {}
                "license" => {
                    let uri = licence(cell, "", &mut licences);
                    item.insert("licenseURI".to_owned(), uri);
                }
                n if LISTS.contains(&n) => {
                    item.insert(n.to_owned(), list(cell));
                }
                n => {
                    item.insert(n.to_owned(), Value::from(cell));
                }
            }
        }
        if !changed.is_empty() {
            item.insert(
                "lastChangeDateTime".to_owned(),
                Value::from(changed.as_str()),
            );
        }
        let label = [
            text(&item, "abbreviatedStatement"),
            text(&item, "fullStatement"),
        ]
        .into_iter()
        .find(|t| !t.is_empty())
        .unwrap_or("")
        .to_owned();
        item_uris.insert(id.clone(), (sheet_uri(&id), label));
        items.push(item);
    }

    // The associations.
    let association_columns = Columns {
        names: association_sheet.header(),
    };
    let mut associations = Vec::new();
    for row in association_sheet.records() {
        let cell = |name: &str| association_columns.cell(row, name);
        let kind_cell = cell("associationType");
        let Some(kind) = type_name(kind_cell) else {
            reader.problem(
                SHEETS[2],
                row.number,
                association_columns.number("associationType").max(1),
                "associationType",
                "invalid-value",
                format!(
                    "'{kind_cell}' is not a CASE association type ({})",
                    ASSOCIATION_TYPES.map(type_words).join(", ")
                ),
            );
            continue;
        };
        let origin = cell("originNodeIdentifier").to_owned();
        let destination = cell("destinationNodeIdentifier").to_owned();
        let node = |id: &str| {
            let (uri, title) = item_uris
                .get(id)
                .cloned()
                .unwrap_or_else(|| (sheet_uri(id), String::new()));
            link(&title, id, &uri)
        };
        let id = match cell("identifier") {
            "" => name_uuid(&format!(
                "rolemap:case-sheet:{origin}\n{kind}\n{destination}"
            )),
            id => id.to_owned(),
        };
        let mut association = object(vec![
            ("identifier", Value::from(id.as_str())),
            ("uri", Value::from(sheet_uri(&id))),
            ("CFDocumentURI", doc_link.clone()),
            ("associationType", Value::from(kind.as_str())),
            ("originNodeURI", node(&origin)),
            ("destinationNodeURI", node(&destination)),
            ("lastChangeDateTime", Value::from(changed.as_str())),
        ]);
        // An end outside the package has no item to give its human coding scheme: kept with
        // the association, under the column's name.
        for (column, end) in [
            ("originNodeHumanCodingScheme", &origin),
            ("destinationNodeHumanCodingScheme", &destination),
        ] {
            if !item_uris.contains_key(end.as_str()) && !cell(column).is_empty() {
                association.insert(column.to_owned(), Value::from(cell(column)));
            }
        }
        let group = cell("associationGroupIdentifier");
        if !group.is_empty() {
            association.insert(
                "CFAssociationGroupingURI".to_owned(),
                link(cell("associationGroupName"), group, &sheet_uri(group)),
            );
        }
        let sequence = cell("sequenceNumber");
        if !sequence.is_empty() {
            match sequence.parse::<i64>() {
                Ok(n) => {
                    association.insert("sequenceNumber".to_owned(), Value::from(n));
                }
                Err(_) => reader.problem(
                    SHEETS[2],
                    row.number,
                    association_columns.number("sequenceNumber"),
                    "sequenceNumber",
                    "invalid-value",
                    format!("'{sequence}' is not a whole number"),
                ),
            }
        }
        // Other columns, as string fields of their names.
        for (i, name) in association_columns.names.iter().enumerate() {
            let value = row.cells.get(i).map_or("", |c| c.trim());
            if value.is_empty()
                || name.is_empty()
                || ASSOCIATION_COLUMNS.contains(&name.as_str())
                || name == "sequenceNumber"
            {
                continue;
            }
            association.insert(name.clone(), Value::from(value));
        }
        associations.push(association);
    }
    if !licences.is_empty() {
        let mut map = Map::new();
        map.insert("CFLicenses".to_owned(), Value::Array(licences));
        definitions = Some(map);
    }
    if !reader.problems.is_empty() {
        return Err(Diagnostics(reader.problems));
    }
    let package = CasePackage {
        document,
        items,
        associations,
        definitions,
        rubrics: Vec::new(),
    };
    // The package's own checks (unique identifiers, ends inside the package ...), pointed at
    // the sheets by the identifier's row.
    let mut json = Vec::new();
    if write(&package, &mut json).is_err() {
        return Err(Diagnostics(vec![Diagnostic {
            file: file.to_owned(),
            line: 0,
            column: 0,
            field: String::new(),
            code: "internal",
            message: "the sheets could not be written as a package".to_owned(),
        }]));
    }
    match read(file, json.as_slice()) {
        Ok(checked) => Ok(checked),
        Err(Diagnostics(problems)) => Err(Diagnostics(
            problems
                .into_iter()
                .map(|mut p| {
                    // The position was in the package written above, which the user never saw:
                    // say which sheet and row the object is on instead.
                    let (sheet, row) = locate(&p.field, &package, item_sheet, association_sheet);
                    p.line = row;
                    p.column = 0;
                    p.field = format!("{sheet} {}", p.field);
                    p
                })
                .collect(),
        )),
    }
}

/// The sheet and row of the object a package path (`CFItems[3].identifier`) names.
fn locate(
    path: &str,
    package: &CasePackage,
    items: &Sheet,
    associations: &Sheet,
) -> (&'static str, usize) {
    let index = |prefix: &str| -> Option<usize> {
        path.strip_prefix(prefix)?.split(']').next()?.parse().ok()
    };
    let row_of = |sheet: &Sheet, id: &str| {
        sheet
            .records()
            .find(|r| r.cells.iter().any(|c| c.trim() == id))
            .map_or(0, |r| r.number)
    };
    if let Some(i) = index("CFItems[") {
        let id = package.items.get(i).map_or("", |o| text(o, "identifier"));
        return (SHEETS[1], row_of(items, id));
    }
    if let Some(i) = index("CFAssociations[") {
        let id = package
            .associations
            .get(i)
            .map_or("", |o| text(o, "identifier"));
        return (SHEETS[2], row_of(associations, id));
    }
    (SHEETS[0], 2)
}

fn cell_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(values)) => values
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect::<Vec<_>>()
            .join(","),
        Some(other) => other.to_string(),
    }
}

/// The extra columns of a sheet: string-valued fields of its objects that are neither one of
/// `columns` nor structural, in the order first met.
fn extra_columns<'a>(
    objects: impl Iterator<Item = &'a Map<String, Value>>,
    columns: &[&str],
) -> Vec<String> {
    let mut extra: Vec<String> = Vec::new();
    for object in objects {
        for (key, value) in object {
            if value.is_string()
                && !columns.contains(&key.as_str())
                && !STRUCTURAL.contains(&key.as_str())
                && !extra.contains(key)
            {
                extra.push(key.clone());
            }
        }
    }
    extra
}

/// The package as OpenSALT's CASE spreadsheet. What the sheets cannot hold (rubrics, URIs,
/// definitions other than licences, fields that are not strings) is left out: the JSON export
/// keeps it.
pub fn to_sheets(package: &CasePackage) -> Workbook {
    let document = &package.document;
    let licence_text = |link: Option<&Value>| -> String {
        let Some(id) = link
            .and_then(|l| l.get("identifier"))
            .and_then(Value::as_str)
        else {
            return String::new();
        };
        package
            .definitions
            .as_ref()
            .and_then(|d| d.get("CFLicenses"))
            .and_then(Value::as_array)
            .and_then(|all| {
                all.iter()
                    .find(|l| l.get("identifier").and_then(Value::as_str) == Some(id))
            })
            .and_then(|l| l.get("licenseText"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let link_title = |link: Option<&Value>| {
        link.and_then(|l| l.get("title"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };

    let doc_extra = extra_columns(std::iter::once(document), &DOC_COLUMNS);
    let mut doc_header: Vec<String> = DOC_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    doc_header.extend(doc_extra.iter().cloned());
    let doc_row: Vec<String> = doc_header
        .iter()
        .map(|column| match column.as_str() {
            "lastChangeDate" => text(document, "lastChangeDateTime").to_owned(),
            "licenseTitle" => link_title(document.get("licenseURI")),
            "licenseText" => licence_text(document.get("licenseURI")),
            c => cell_text(document.get(c)),
        })
        .collect();

    let item_extra = extra_columns(package.items.iter(), &ITEM_COLUMNS);
    let mut item_header: Vec<String> = ITEM_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    item_header.extend(item_extra.iter().cloned());
    let codes: HashMap<&str, &str> = package
        .items
        .iter()
        .map(|i| (text(i, "identifier"), text(i, "humanCodingScheme")))
        .collect();
    let item_rows = package
        .items
        .iter()
        .map(|item| {
            item_header
                .iter()
                .map(|column| match column.as_str() {
                    "license" => link_title(item.get("licenseURI")),
                    c => cell_text(item.get(c)),
                })
                .collect()
        })
        .collect();

    let mut association_header: Vec<String> = ASSOCIATION_COLUMNS
        .iter()
        .map(|c| (*c).to_owned())
        .collect();
    let sequenced = package
        .associations
        .iter()
        .any(|a| a.get("sequenceNumber").is_some_and(|s| !s.is_null()));
    if sequenced {
        association_header.push("sequenceNumber".to_owned());
    }
    let association_rows = package
        .associations
        .iter()
        .map(|association| {
            let end = |key: &str| {
                association
                    .get(key)
                    .and_then(|n| n.get("identifier"))
                    .and_then(Value::as_str)
                    .unwrap_or("")
            };
            let (origin, destination) = (end("originNodeURI"), end("destinationNodeURI"));
            let group = association.get("CFAssociationGroupingURI");
            association_header
                .iter()
                .map(|column| match column.as_str() {
                    "identifier" => text(association, "identifier").to_owned(),
                    "originNodeIdentifier" => origin.to_owned(),
                    "originNodeHumanCodingScheme" => codes
                        .get(origin)
                        .copied()
                        .unwrap_or_else(|| text(association, "originNodeHumanCodingScheme"))
                        .to_owned(),
                    "associationType" => type_words(text(association, "associationType")),
                    "destinationNodeHumanCodingScheme" => codes
                        .get(destination)
                        .copied()
                        .unwrap_or_else(|| text(association, "destinationNodeHumanCodingScheme"))
                        .to_owned(),
                    "destinationNodeIdentifier" => destination.to_owned(),
                    "associationGroupIdentifier" => group
                        .and_then(|g| g.get("identifier"))
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_owned(),
                    "associationGroupName" => link_title(group),
                    "sequenceNumber" => association
                        .get("sequenceNumber")
                        .and_then(sequence_number)
                        .map_or_else(String::new, |n| n.to_string()),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    Workbook {
        sheets: vec![
            Sheet::with_rows(SHEETS[0], doc_header, vec![doc_row]),
            Sheet::with_rows(SHEETS[1], item_header, item_rows),
            Sheet::with_rows(SHEETS[2], association_header, association_rows),
        ],
    }
}

/// The spreadsheet to fill in: the three sheets with OpenSALT's columns and no rows.
pub fn template() -> Workbook {
    let header = |columns: &[&str]| columns.iter().map(|c| (*c).to_owned()).collect();
    Workbook {
        sheets: vec![
            Sheet::with_rows(SHEETS[0], header(&DOC_COLUMNS), Vec::new()),
            Sheet::with_rows(SHEETS[1], header(&ITEM_COLUMNS), Vec::new()),
            Sheet::with_rows(SHEETS[2], header(&ASSOCIATION_COLUMNS), Vec::new()),
        ],
    }
}
