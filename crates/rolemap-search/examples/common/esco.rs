//! Reads ESCO occupations and skills into search documents, for the examples.

use std::io::Read;
use std::path::{Path, PathBuf};

use rolemap_search::{Kind, SearchDoc};

/// Occupations (ids 1..) then skills (ids 1..) from the classification zip in `$ROLEMAP_ESCO_DIR`
/// (or `../shared/data/esco-v1.1.1` beside the repository).
pub fn load() -> Vec<SearchDoc> {
    let dir = std::env::var_os("ROLEMAP_ESCO_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            let guess =
                Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/esco-v1.1.1");
            guess.is_dir().then_some(guess)
        })
        .expect("set ROLEMAP_ESCO_DIR to the folder with the ESCO zips");
    let mut zip =
        zip::ZipArchive::new(std::fs::File::open(classification_zip(&dir)).unwrap()).unwrap();
    let occupations = read_member(&mut zip, "occupations_en.csv");
    let skills = read_member(&mut zip, "skills_en.csv");
    let mut all = docs(Kind::Role, &occupations, 1);
    all.extend(docs(Kind::Skill, &skills, 1));
    all
}

fn classification_zip(dir: &Path) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_lowercase();
            name.contains("classification") && name.ends_with(".zip")
        })
        .unwrap_or_else(|| panic!("no classification zip in {}", dir.display()))
}

fn read_member(zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> String {
    let mut file = zip.by_name(name).unwrap();
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    text
}

fn lines(cell: &str) -> Vec<String> {
    cell.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn docs(kind: Kind, csv_text: &str, first_id: i64) -> Vec<SearchDoc> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (uri, pref, alt, hidden, desc) = (
        col("conceptUri"),
        col("preferredLabel"),
        col("altLabels"),
        col("hiddenLabels"),
        col("description"),
    );
    reader
        .records()
        .enumerate()
        .map(|(i, r)| {
            let r = r.unwrap();
            SearchDoc {
                kind,
                id: first_id + i as i64,
                framework: "esco".into(),
                key: r[uri].to_owned(),
                preferred: r[pref].to_owned(),
                alternative: lines(&r[alt]),
                hidden: lines(&r[hidden]),
                description: r[desc].to_owned(),
            }
        })
        .collect()
}
