//! `rolemap extract` and `rolemap gap --text`: the skills in free text, for one document or a
//! stream of them (JSON lines, on every core), and a text measured against a role.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use rolemap_service::dto::{ExtractDto, ExtractLineDto, TextGapDto};
use rolemap_service::{ExtractReport, Service, SkillExtractor, TextGap};

use crate::cli::Format;
use crate::render::{Grid, heading, write_json};

/// Documents handed to the extractor at a time: enough to keep every core busy, few enough that
/// memory stays flat on any size of input.
const BATCH: usize = 4096;

/// The text of a file, or of standard input for `-`, and the name to call it by.
fn read_text(path: &Path) -> Result<(String, String)> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input")?;
        return Ok(("standard input".to_owned(), text));
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok((path.display().to_string(), text))
}

fn emit<T: serde::Serialize>(
    out: &mut dyn Write,
    format: Format,
    dto: &T,
    grid: &Grid,
    text: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    match format {
        Format::Json => write_json(out, dto),
        Format::Csv => grid.write_csv(out),
        Format::Table => text(out),
    }
}

fn mentions_grid(report: &ExtractReport) -> Grid {
    let mut grid = Grid::new([
        "Chars",
        "Text",
        "Skill",
        "Framework",
        "Matched",
        "Signal",
        "Negated",
        "Confidence",
    ]);
    for m in &report.mentions {
        grid.row([
            format!("{}-{}", m.start, m.end),
            m.text.clone(),
            m.skill.label.clone(),
            m.skill.framework.clone(),
            if m.words.is_empty() {
                format!("{} ({})", m.matched, m.label_kind)
            } else {
                format!("{} (from: {})", m.matched, m.words.join(", "))
            },
            m.signal.to_owned(),
            if m.negated { "negated" } else { "" }.to_owned(),
            format!("{:.2}", m.confidence),
        ]);
    }
    grid
}

/// `rolemap extract FILE`.
pub async fn extract(
    service: &Service,
    file: &Path,
    framework: Option<&str>,
    paraphrase: bool,
    format: Format,
    out: &mut dyn Write,
) -> Result<()> {
    let (name, text) = read_text(file)?;
    let report = service.extract(&text, framework, paraphrase).await?;
    let grid = mentions_grid(&report);
    emit(out, format, &ExtractDto::from(&report), &grid, |out| {
        let negated = report.mentions.iter().filter(|m| m.negated).count();
        heading(
            out,
            &format!(
                "{} skill{} in {name}",
                report.skills.len(),
                if report.skills.len() == 1 { "" } else { "s" }
            ),
        )?;
        let mut skills = Grid::new(["Skill", "Framework", "Confidence", "Found by", "Mentions"]);
        for s in &report.skills {
            skills.row([
                s.skill.label.clone(),
                s.skill.framework.clone(),
                format!("{:.2}", s.confidence),
                s.signals.join(", "),
                s.mentions.to_string(),
            ]);
        }
        if !report.skills.is_empty() {
            writeln!(out, "{}", skills.to_text())?;
        }
        writeln!(out)?;
        heading(out, &format!("Mentions ({negated} negated, not counted)",))?;
        writeln!(out, "{}", grid.to_text())?;
        Ok(())
    })
}

/// One document of a JSON lines input.
struct Document {
    id: serde_json::Value,
    text: String,
}

/// Reads one line of `--jsonl` input: an object with "id" (any value) and "text" (a string).
fn document(name: &str, number: usize, line: &str) -> Result<Document> {
    let value: serde_json::Value = serde_json::from_str(line)
        .with_context(|| format!("{name}:{number}: not a JSON object"))?;
    let serde_json::Value::Object(mut object) = value else {
        bail!("{name}:{number}: not a JSON object");
    };
    let Some(id) = object.remove("id") else {
        bail!("{name}:{number}: field \"id\" is missing");
    };
    match object.remove("text") {
        Some(serde_json::Value::String(text)) => Ok(Document { id, text }),
        Some(_) => bail!("{name}:{number}: field \"text\" must be a string"),
        None => bail!("{name}:{number}: field \"text\" is missing"),
    }
}

/// Extracts one batch on every core and writes its lines in order.
async fn write_batch(
    extractor: &Arc<SkillExtractor>,
    batch: Vec<Document>,
    paraphrase: bool,
    writer: &mut dyn Write,
    output_name: &str,
) -> Result<()> {
    let extractor = Arc::clone(extractor);
    let (batch, reports) = tokio::task::spawn_blocking(move || {
        let texts: Vec<&str> = batch.iter().map(|d| d.text.as_str()).collect();
        let reports = extractor.extract_all(&texts, paraphrase);
        (batch, reports)
    })
    .await
    .context("extraction stopped")?;
    for (document, report) in batch.iter().zip(&reports) {
        let line = ExtractLineDto {
            id: &document.id,
            extract: ExtractDto::from(report),
        };
        serde_json::to_writer(&mut *writer, &line)
            .with_context(|| format!("cannot write {output_name}"))?;
        writer
            .write_all(b"\n")
            .with_context(|| format!("cannot write {output_name}"))?;
    }
    Ok(())
}

/// `rolemap extract --jsonl IN OUT`: streams, a batch at a time; stops at the first malformed
/// line, naming the file, the line and the field, and then writes no OUT at all.
pub async fn extract_jsonl(
    service: &Service,
    input: &Path,
    output: &Path,
    framework: Option<&str>,
    paraphrase: bool,
) -> Result<()> {
    let started = std::time::Instant::now();
    let extractor = service.skill_extractor(framework).await?;
    let (input_name, reader): (String, Box<dyn BufRead>) = if input.as_os_str() == "-" {
        (
            "standard input".to_owned(),
            Box::new(BufReader::new(std::io::stdin())),
        )
    } else {
        let file = std::fs::File::open(input)
            .with_context(|| format!("cannot read {}", input.display()))?;
        (input.display().to_string(), Box::new(BufReader::new(file)))
    };
    let mut out = crate::output::Output::create(output)?;
    let output_name = out.name().to_owned();
    let mut batch = Vec::with_capacity(BATCH);
    let mut documents = 0usize;
    for (index, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {input_name}:{}", index + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        batch.push(document(&input_name, index + 1, &line)?);
        if batch.len() == BATCH {
            documents += batch.len();
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            write_batch(&extractor, full, paraphrase, out.writer(), &output_name).await?;
        }
    }
    documents += batch.len();
    write_batch(&extractor, batch, paraphrase, out.writer(), &output_name).await?;
    out.finish()?;
    let seconds = started.elapsed().as_secs_f64();
    note!(
        "extracted skills from {documents} document{} in {seconds:.2} s ({:.0} a second, {} skills known)",
        if documents == 1 { "" } else { "s" },
        documents as f64 / seconds.max(1e-9),
        extractor.skill_count(),
    );
    Ok(())
}

fn text_gap_grid(gap: &TextGap) -> Grid {
    let mut grid = Grid::new(["Skill", "Importance", "Evidenced", "Evidence"]);
    for line in &gap.lines {
        let evidence = line
            .evidence
            .iter()
            .map(|m| match m.mapped {
                Some(kind) => format!(
                    "\"{}\" ({}-{}, {}; as {} in {}, mapped {kind})",
                    m.text, m.start, m.end, m.signal, m.skill.label, m.skill.framework
                ),
                None => format!("\"{}\" ({}-{}, {})", m.text, m.start, m.end, m.signal),
            })
            .chain(
                line.negated
                    .iter()
                    .map(|m| format!("negated: \"{}\" ({}-{})", m.text, m.start, m.end)),
            )
            .collect::<Vec<_>>()
            .join("; ");
        grid.row([
            line.label.clone(),
            line.importance.as_str().to_owned(),
            if line.evidence.is_empty() {
                "no"
            } else {
                "yes"
            }
            .to_owned(),
            evidence,
        ]);
    }
    grid
}

/// `rolemap gap --text FILE --target ROLE`.
pub async fn text_gap(
    service: &Service,
    file: &Path,
    target: &str,
    format: Format,
    out: &mut dyn Write,
) -> Result<()> {
    let (name, text) = read_text(file)?;
    let gap = service.text_gap(&name, &text, target).await?;
    let grid = text_gap_grid(&gap);
    emit(out, format, &TextGapDto::from(&gap), &grid, |out| {
        let ((essential_found, essential), (optional_found, optional)) = gap.coverage();
        heading(out, &format!("{} against {}", gap.source, gap.role.title))?;
        writeln!(
            out,
            "Evidenced: {essential_found} of {essential} essential and {optional_found} of {optional} optional requirements."
        )?;
        writeln!(out, "{}", grid.to_text())?;
        let missing: Vec<&str> = gap
            .lines
            .iter()
            .filter(|l| l.evidence.is_empty())
            .map(|l| l.label.as_str())
            .collect();
        if !missing.is_empty() {
            writeln!(out, "\nNot evidenced: {}.", missing.join(", "))?;
        }
        Ok(())
    })
}
