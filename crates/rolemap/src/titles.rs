//! `rolemap code-title`: one job title to a table, JSON or CSV, or a JSON Lines file of titles
//! to a JSON Lines file of codes, streamed in chunks and coded on all cores.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use rolemap_service::Service;
use rolemap_service::dto::TitleCodeDto;
use serde_json::Value;

use crate::cli::Output;
use crate::render::Grid;

/// Titles read, coded and written at a time: enough to keep every core busy, few enough that
/// memory stays small whatever the file's size.
const CHUNK: usize = 8192;

pub async fn code_title(
    service: &Service,
    title: &str,
    framework: Option<&str>,
    limit: u16,
    output: Output,
    out: &mut dyn Write,
) -> Result<()> {
    let codes = service
        .code_title(title, framework, usize::from(limit))
        .await?;
    let dtos: Vec<TitleCodeDto> = codes.iter().map(TitleCodeDto::from).collect();
    let mut grid = Grid::new(["score", "role", "matched", "framework", "id"]);
    for c in &dtos {
        let matched = if c.field == "preferred" {
            "(title)".to_owned()
        } else {
            format!("{} ({})", c.matched, c.field)
        };
        grid.row([
            format!("{:.2}", c.score),
            c.title.clone(),
            matched,
            c.framework.clone(),
            c.role_id.to_string(),
        ]);
    }
    crate::commands::emit(out, output.format, &dtos, &grid, |out| {
        if dtos.is_empty() {
            writeln!(out, "No role matches '{title}'.")?;
            return Ok(());
        }
        writeln!(out, "{}", grid.to_text())?;
        writeln!(out, "Show one with `rolemap role show ID`.")?;
        Ok(())
    })
}

/// One line of the output: the input line's id and its codes.
#[derive(serde::Serialize)]
struct CodedLine<'a> {
    id: &'a Value,
    matches: Vec<TitleCodeDto>,
}

/// One line of the input: its number (from 1), its id and title.
struct TitleLine {
    number: usize,
    id: Value,
    title: String,
}

fn parse_line(name: &str, number: usize, line: &str) -> Result<TitleLine> {
    let value: Value = serde_json::from_str(line)
        .with_context(|| format!("{name} line {number}: not a JSON object"))?;
    let Value::Object(mut object) = value else {
        bail!("{name} line {number}: expected an object with fields id and title");
    };
    let Some(id) = object.remove("id") else {
        bail!("{name} line {number}: field id is missing");
    };
    let title = match object.remove("title") {
        Some(Value::String(title)) if !title.trim().is_empty() => title,
        Some(Value::String(_)) => bail!("{name} line {number}: field title is empty"),
        Some(_) => bail!("{name} line {number}: field title must be a string"),
        None => bail!("{name} line {number}: field title is missing"),
    };
    Ok(TitleLine { number, id, title })
}

pub async fn code_jsonl(
    service: &Service,
    input: &Path,
    output: &Path,
    framework: Option<&str>,
    limit: u16,
    out: &mut dyn Write,
) -> Result<()> {
    let started = std::time::Instant::now();
    let name = input.display().to_string();
    let reader: Box<dyn BufRead> = if input == Path::new("-") {
        Box::new(BufReader::new(std::io::stdin().lock()))
    } else {
        let file = std::fs::File::open(input).with_context(|| format!("cannot read {name}"))?;
        Box::new(BufReader::new(file))
    };
    let mut target = crate::output::Output::create(output)?;
    let to_stdout = target.is_stdout();
    let writer = target.writer();
    let mut coded = 0usize;
    let mut chunk: Vec<TitleLine> = Vec::with_capacity(CHUNK);
    let mut lines = reader.lines().enumerate();
    loop {
        let next = lines.next();
        let done = next.is_none();
        if let Some((i, line)) = next {
            let line = line.with_context(|| format!("{name} line {}: cannot read", i + 1))?;
            if !line.trim().is_empty() {
                chunk.push(parse_line(&name, i + 1, &line)?);
            }
            if chunk.len() < CHUNK {
                continue;
            }
        }
        if !chunk.is_empty() {
            coded += chunk.len();
            let titles: Vec<String> = chunk
                .iter_mut()
                .map(|l| std::mem::take(&mut l.title))
                .collect();
            let codes = service
                .code_titles(titles, framework, usize::from(limit))
                .await
                .with_context(|| {
                    format!(
                        "{name} lines {} to {}",
                        chunk[0].number,
                        chunk[chunk.len() - 1].number
                    )
                })?;
            for (line, codes) in chunk.drain(..).zip(codes) {
                let matches: Vec<TitleCodeDto> = codes.iter().map(TitleCodeDto::from).collect();
                serde_json::to_writer(
                    &mut *writer,
                    &CodedLine {
                        id: &line.id,
                        matches,
                    },
                )?;
                writer.write_all(b"\n")?;
            }
        }
        if done {
            break;
        }
    }
    target.finish()?;
    if !to_stdout {
        let seconds = started.elapsed().as_secs_f64();
        writeln!(
            out,
            "Coded {coded} title{} to {} in {seconds:.2} s ({:.0} a second).",
            if coded == 1 { "" } else { "s" },
            output.display(),
            coded as f64 / seconds.max(1e-9)
        )?;
    }
    Ok(())
}
