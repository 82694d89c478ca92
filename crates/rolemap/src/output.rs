//! The file a bulk command writes (`extract --jsonl`, `code-title --jsonl`): written beside its
//! final place and renamed there only when every line is done, so a bad input line leaves no half
//! file and an earlier file of that name untouched. `-` streams to standard output instead.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tempfile::NamedTempFile;

pub struct Output {
    name: String,
    target: Target,
}

enum Target {
    Stdout(BufWriter<std::io::Stdout>),
    File {
        writer: BufWriter<NamedTempFile>,
        path: PathBuf,
    },
}

impl Output {
    /// The output named `path`, or standard output for `-`.
    pub fn create(path: &Path) -> Result<Output> {
        if path.as_os_str() == "-" {
            return Ok(Output {
                name: "standard output".to_owned(),
                target: Target::Stdout(BufWriter::new(std::io::stdout())),
            });
        }
        let name = path.display().to_string();
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let temp = NamedTempFile::new_in(dir).with_context(|| format!("cannot write {name}"))?;
        Ok(Output {
            name,
            target: Target::File {
                writer: BufWriter::new(temp),
                path: path.to_owned(),
            },
        })
    }

    /// How errors name it.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn is_stdout(&self) -> bool {
        matches!(self.target, Target::Stdout(_))
    }

    pub fn writer(&mut self) -> &mut dyn Write {
        match &mut self.target {
            Target::Stdout(writer) => writer,
            Target::File { writer, .. } => writer,
        }
    }

    /// Everything written: the file takes its name (replacing any file there).
    pub fn finish(self) -> Result<()> {
        let name = self.name;
        match self.target {
            Target::Stdout(mut writer) => writer
                .flush()
                .with_context(|| format!("cannot write {name}")),
            Target::File { writer, path } => {
                let temp = writer
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("cannot write {name}"))?;
                temp.as_file()
                    .sync_all()
                    .with_context(|| format!("cannot write {name}"))?;
                temp.persist(&path)
                    .map_err(|e| e.error)
                    .with_context(|| format!("cannot write {name}"))?;
                Ok(())
            }
        }
    }
}
