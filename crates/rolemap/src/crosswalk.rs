//! `rolemap map A B` (suggested mappings between two frameworks, as a CSV to review) and
//! `rolemap map apply FILE.csv` (the accepted ones stored).

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use rolemap_service::{
    CrosswalkConcepts, CrosswalkOptions, InputFile, MappingSuggestion, Service, now,
};

use crate::cli::{MapArgs, MapCommand, MapConcepts};

/// The reviewable CSV's columns, in order; `rolemap map apply` reads them back by name.
const COLUMNS: [&str; 10] = [
    "from_framework",
    "from_key",
    "from_label",
    "to_framework",
    "to_key",
    "to_label",
    "type",
    "confidence",
    "why",
    "decision",
];

pub(crate) async fn run(
    service: &Service,
    action: Option<MapCommand>,
    args: MapArgs,
    out: &mut dyn Write,
) -> Result<()> {
    if let Some(MapCommand::Apply { file }) = action {
        return apply(service, &file, out).await;
    }
    let (Some(from), Some(to)) = (args.from.as_deref(), args.to.as_deref()) else {
        bail!("name two frameworks: rolemap map FRAMEWORK_A FRAMEWORK_B");
    };
    let options = CrosswalkOptions {
        concepts: match args.kind {
            MapConcepts::Skills => CrosswalkConcepts::Skills,
            MapConcepts::Duties => CrosswalkConcepts::Duties,
            MapConcepts::All => CrosswalkConcepts::All,
        },
        min_confidence: args.min_confidence,
        limit_per_concept: args.limit_per_concept,
    };
    let suggestions = service.suggest_mappings(from, to, options).await?;
    match &args.out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let mut writer = std::io::BufWriter::new(file);
            write_csv(&mut writer, &suggestions)?;
            writer
                .flush()
                .with_context(|| format!("cannot write {}", path.display()))?;
            let concepts: std::collections::BTreeSet<&str> =
                suggestions.iter().map(|s| s.from_key.as_str()).collect();
            writeln!(
                out,
                "Wrote {} suggested mapping{} for {} concept{} of {from} to {}; fill in the \
                 decision column (accept or reject), then run: rolemap map apply {}",
                suggestions.len(),
                if suggestions.len() == 1 { "" } else { "s" },
                concepts.len(),
                if concepts.len() == 1 { "" } else { "s" },
                path.display(),
                path.display()
            )?;
            Ok(())
        }
        None => write_csv(out, &suggestions),
    }
}

fn write_csv(out: &mut dyn Write, suggestions: &[MappingSuggestion]) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(COLUMNS)?;
    for s in suggestions {
        writer.write_record([
            s.from_framework.as_str(),
            &s.from_key,
            &s.from_label,
            &s.to_framework,
            &s.to_key,
            &s.to_label,
            s.kind.as_str(),
            &format!("{:.3}", s.confidence),
            &s.why.join(" "),
            "",
        ])?;
    }
    writer.flush()?;
    Ok(())
}

async fn apply(service: &Service, path: &Path, out: &mut dyn Write) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let input = InputFile {
        name: path.display().to_string(),
        text,
    };
    let applied = service
        .apply_mappings(&input, &rolemap_store::Actor::cli(), &now())
        .await?;
    writeln!(
        out,
        "Applied {} mapping{} from {} ({} row{} not accepted, left out).",
        applied.applied,
        if applied.applied == 1 { "" } else { "s" },
        path.display(),
        applied.ignored,
        if applied.ignored == 1 { "" } else { "s" },
    )?;
    Ok(())
}
