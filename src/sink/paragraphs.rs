//! `paragraphs.csv`: the zone and article of every paragraph (`--paragraphs`).

use std::io;
use std::path::Path;
use std::sync::Arc;

use super::csv_tables::TableWriter;
use super::{paragraph_row, CsvOptions, Staged, PARAGRAPH_COLUMNS};
use crate::document::CharCounter;
use crate::pipeline::{Outcome, Render, Rendered, Sink};

/// File name of the paragraph table.
pub const PARAGRAPHS_FILE: &str = "paragraphs.csv";

/// Writes `paragraphs.csv`, one row per paragraph (two for a paragraph holding two
/// zones), in document order; documents that failed have no rows.
pub struct ParagraphTable {
    writer: TableWriter,
    /// Written under a temporary name until the run completes, like the other tables.
    staged: Option<Staged>,
}

impl ParagraphTable {
    /// Creates `paragraphs.csv` in `dir` (which must exist) and writes its header.
    pub fn create(dir: &Path, options: CsvOptions) -> io::Result<ParagraphTable> {
        let (staged, file) = Staged::create(&dir.join(PARAGRAPHS_FILE))?;
        let writer = TableWriter::create(file, options, PARAGRAPH_COLUMNS)?;
        Ok(ParagraphTable {
            writer,
            staged: Some(staged),
        })
    }
}

impl Sink for ParagraphTable {
    fn write(&mut self, outcome: &Outcome) -> io::Result<()> {
        if let Outcome::Done {
            document,
            extraction,
        } = outcome
        {
            let mut row = Vec::with_capacity(PARAGRAPH_COLUMNS.len());
            let mut counter = CharCounter::new(&document.text);
            for index in 0..extraction.zones.len() {
                paragraph_row(document, extraction, index, &mut counter, &mut row);
                self.writer.row(&row)?;
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.writer.sync()?;
        match self.staged.take() {
            Some(staged) => staged.commit(),
            None => Ok(()),
        }
    }
}

/// A renderer whose outcomes are kept whole (see [`Render::sheds`]).
struct Whole(Arc<dyn Render>);

impl Render for Whole {
    fn render(&self, outcome: &Outcome) -> Rendered {
        self.0.render(outcome)
    }
}

/// Two sinks fed the same outcomes, in order.
pub struct Both<'a>(pub &'a mut dyn Sink, pub &'a mut dyn Sink);

impl Sink for Both<'_> {
    fn write(&mut self, outcome: &Outcome) -> io::Result<()> {
        self.0.write(outcome)?;
        self.1.write(outcome)
    }

    /// The first sink's renderer, which does not shed the outcomes: the second sink
    /// reads them whole.
    fn renderer(&self) -> Option<Arc<dyn Render>> {
        self.0
            .renderer()
            .map(|renderer| Arc::new(Whole(renderer)) as Arc<dyn Render>)
    }

    fn write_rendered(&mut self, outcome: &Outcome, rendered: Rendered) -> io::Result<()> {
        self.0.write_rendered(outcome, rendered)?;
        self.1.write(outcome)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.0.finish()?;
        self.1.finish()
    }
}
