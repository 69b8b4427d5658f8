//! The four tables as sheets of one Excel workbook, `tables.xlsx`.
//!
//! Text is written as text cells and numbers as number cells, so nothing a document
//! says can become a formula (no guard character needed, unlike CSV). Text cells of
//! Persian and Arabic documents read right to left, and a sheet whose rows are mostly
//! such documents is shown right to left. Rows are streamed to disk (constant memory).
//!
//! Excel's own limits apply: a cell holds at most 32,767 characters (a longer text is
//! cut and ends with `…`; its offsets still give the whole span), and a sheet at most
//! 1,048,576 rows (more rows go on to `mentions 2`, `mentions 3`, ...).

use std::io;
use std::path::Path;

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};

use super::csv_tables::Table as Kind;
use super::{
    document_row, entity_row, result_rows, Cell, EntityTallies, Staged, DOCUMENT_COLUMNS,
    ENTITY_COLUMNS, MENTION_COLUMNS, QUOTE_COLUMNS,
};
use crate::lang::Lang;
use crate::pipeline::{Outcome, Sink};

/// File name of the workbook in the output directory.
pub const XLSX_FILE: &str = "tables.xlsx";

/// Most characters Excel keeps in a cell.
const CELL_CHARS: usize = 32_767;
/// Workbook index of the `entities` sheet.
const ENTITIES_SHEET: usize = 2;
/// Rows of a sheet, header included.
const SHEET_ROWS: u32 = 1_048_576;

/// One table: its sheets (more than one past Excel's row limit) and where it stands.
struct Table {
    name: &'static str,
    columns: &'static [&'static str],
    /// Workbook indexes of its sheets; the last is the current one.
    sheets: Vec<usize>,
    /// Next row of the current sheet.
    row: u32,
    /// Rows of Persian or Arabic documents, and all rows, for the sheet direction.
    rtl_rows: u64,
    rows: u64,
}

/// Writes `tables.xlsx` (sheets `documents`, `mentions`, `entities`, `quotes`) in an
/// output directory, under a temporary name until [`Sink::finish`] renames it.
///
/// ```
/// use naql::{Document, Pipeline, Sink};
/// use naql::pipeline::Outcome;
/// use naql::sink::XlsxTables;
/// let dir = std::env::temp_dir().join(format!("naql-xlsx-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let document = Document::new("d1", "=1+1");
/// let extraction = Pipeline::builder().build().process(&document);
/// let mut tables = XlsxTables::create(&dir).unwrap();
/// tables.write(&Outcome::Done { document, extraction }).unwrap();
/// tables.finish().unwrap();
/// assert!(dir.join("tables.xlsx").is_file());
/// std::fs::remove_dir_all(dir).unwrap();
/// ```
pub struct XlsxTables {
    workbook: Workbook,
    staged: Option<Staged>,
    file: Option<std::fs::File>,
    documents: Table,
    mentions: Table,
    quotes: Table,
    tallies: EntityTallies,
    header: Format,
    rtl: Format,
}

fn xlsx_error(err: XlsxError) -> io::Error {
    io::Error::other(format!("xlsx: {err}"))
}

impl XlsxTables {
    /// Starts the workbook in `dir` (which must exist).
    pub fn create(dir: &Path) -> io::Result<XlsxTables> {
        let (staged, file) = Staged::create(&dir.join(XLSX_FILE))?;
        let mut workbook = Workbook::new();
        workbook.set_tempdir(dir).map_err(xlsx_error)?;
        // A fixed creation time: the same input gives a byte-identical workbook.
        let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(xlsx_error)?;
        let properties = DocProperties::new()
            .set_creation_datetime(&created)
            .set_author("naql");
        workbook.set_properties(&properties);
        let header = Format::new().set_bold();
        let mut tables = XlsxTables {
            workbook,
            staged: Some(staged),
            file: Some(file),
            documents: Table::new("documents", DOCUMENT_COLUMNS),
            mentions: Table::new("mentions", MENTION_COLUMNS),
            quotes: Table::new("quotes", QUOTE_COLUMNS),
            tallies: EntityTallies::default(),
            header,
            rtl: Format::new()
                .set_reading_direction(2)
                .set_align(FormatAlign::Right),
        };
        // Sheets in the order of the CSV tables; entities is filled at the end.
        for table in [&mut tables.documents, &mut tables.mentions] {
            table.start_sheet(&mut tables.workbook, &tables.header)?;
        }
        let entities = tables.workbook.add_worksheet_with_constant_memory();
        entities.set_name("entities").map_err(xlsx_error)?;
        tables
            .quotes
            .start_sheet(&mut tables.workbook, &tables.header)?;
        Ok(tables)
    }
}

impl Table {
    fn new(name: &'static str, columns: &'static [&'static str]) -> Table {
        Table {
            name,
            columns,
            sheets: Vec::new(),
            row: 0,
            rtl_rows: 0,
            rows: 0,
        }
    }

    /// Adds the next sheet of this table and writes its header.
    fn start_sheet(&mut self, workbook: &mut Workbook, header: &Format) -> io::Result<()> {
        let name = match self.sheets.len() {
            0 => self.name.to_string(),
            n => format!("{} {}", self.name, n + 1),
        };
        self.sheets.push(workbook.worksheets().len());
        let sheet = workbook.add_worksheet_with_constant_memory();
        sheet.set_name(name).map_err(xlsx_error)?;
        for (col, column) in self.columns.iter().enumerate() {
            sheet
                .write_string_with_format(0, col as u16, *column, header)
                .map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        self.row = 1;
        Ok(())
    }

    fn write(
        &mut self,
        workbook: &mut Workbook,
        formats: (&Format, &Format),
        cells: &[Cell<'_>],
        rtl: bool,
    ) -> io::Result<()> {
        if self.row >= SHEET_ROWS {
            self.start_sheet(workbook, formats.0)?;
        }
        let index = self.sheets.last().copied().unwrap_or_default();
        let sheet = workbook.worksheet_from_index(index).map_err(xlsx_error)?;
        write_cells(sheet, self.row, cells, rtl.then_some(formats.1))?;
        self.row += 1;
        self.rows += 1;
        self.rtl_rows += u64::from(rtl);
        Ok(())
    }

    /// Right to left when most rows are of Persian or Arabic documents.
    fn set_direction(&self, workbook: &mut Workbook) -> io::Result<()> {
        let rtl = self.rows > 0 && self.rtl_rows * 2 > self.rows;
        for &index in &self.sheets {
            workbook
                .worksheet_from_index(index)
                .map_err(xlsx_error)?
                .set_right_to_left(rtl);
        }
        Ok(())
    }
}

fn write_cells(
    sheet: &mut Worksheet,
    row: u32,
    cells: &[Cell<'_>],
    rtl: Option<&Format>,
) -> io::Result<()> {
    for (col, cell) in cells.iter().enumerate() {
        let col = col as u16;
        let id;
        let text: &str = match cell {
            Cell::Str(s) => s,
            Cell::Owned(s) => s,
            Cell::Id {
                document,
                marker,
                number,
            } => {
                id = super::item_id(document, *marker, *number);
                &id
            }
            Cell::Int(n) => {
                sheet
                    .write_number(row, col, *n as f64)
                    .map_err(xlsx_error)?;
                continue;
            }
            Cell::Float(x) => {
                let rounded = (f64::from(*x) * 100.0).round() / 100.0;
                sheet.write_number(row, col, rounded).map_err(xlsx_error)?;
                continue;
            }
            Cell::Null => continue,
        };
        let text = fit_cell(text);
        match rtl {
            Some(format) => sheet.write_string_with_format(row, col, text.as_ref(), format),
            None => sheet.write_string(row, col, text.as_ref()),
        }
        .map_err(xlsx_error)?;
    }
    Ok(())
}

/// The text cut to Excel's cell size, ending with `…` when cut.
fn fit_cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(CELL_CHARS) {
        None => text.into(),
        Some(_) => {
            let cut = text
                .char_indices()
                .nth(CELL_CHARS - 1)
                .map_or(text.len(), |(i, _)| i);
            format!("{}…", &text[..cut]).into()
        }
    }
}

fn is_rtl(lang: Lang) -> bool {
    matches!(lang, Lang::Fa | Lang::Ar)
}

impl Sink for XlsxTables {
    fn write(&mut self, outcome: &Outcome) -> io::Result<()> {
        let formats = (&self.header, &self.rtl);
        let mut row = Vec::with_capacity(QUOTE_COLUMNS.len());
        document_row(outcome, &mut row);
        let lang = match outcome {
            Outcome::Done { extraction, .. } => extraction.lang,
            Outcome::Failed(failure) => failure.lang,
        };
        let rtl = is_rtl(lang);
        self.documents
            .write(&mut self.workbook, formats, &row, rtl)?;
        if let Outcome::Done {
            document,
            extraction,
        } = outcome
        {
            let (workbook, mentions, quotes) =
                (&mut self.workbook, &mut self.mentions, &mut self.quotes);
            result_rows(document, extraction, &mut row, |table, row| {
                let sheet = match table {
                    Kind::Quotes => &mut *quotes,
                    _ => &mut *mentions,
                };
                sheet.write(workbook, formats, row, rtl)
            })?;
            self.tallies.add(&extraction.mentions);
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        let (Some(staged), Some(file)) = (self.staged.take(), self.file.take()) else {
            return Ok(());
        };
        let entities_index = ENTITIES_SHEET;
        {
            let sheet = self
                .workbook
                .worksheet_from_index(entities_index)
                .map_err(xlsx_error)?;
            for (col, column) in ENTITY_COLUMNS.iter().enumerate() {
                sheet
                    .write_string_with_format(0, col as u16, *column, &self.header)
                    .map_err(xlsx_error)?;
            }
            sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
            let mut row = Vec::with_capacity(ENTITY_COLUMNS.len());
            let sorted = std::mem::take(&mut self.tallies).into_sorted();
            for (i, tally) in sorted.iter().enumerate() {
                // Entities are few (one row per gazetteer entity found).
                let Ok(r) = u32::try_from(i + 1) else { break };
                if r >= SHEET_ROWS {
                    break;
                }
                entity_row(tally, &mut row);
                write_cells(sheet, r, &row, None)?;
            }
        }
        for table in [&self.documents, &self.mentions, &self.quotes] {
            table.set_direction(&mut self.workbook)?;
        }
        let mut out = io::BufWriter::new(file);
        self.workbook.save_to_writer(&mut out).map_err(xlsx_error)?;
        let file = out.into_inner().map_err(|err| err.into_error())?;
        file.sync_data()?;
        staged.commit()
    }
}
