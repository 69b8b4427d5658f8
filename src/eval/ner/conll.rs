//! CoNLL-style annotated files: one token per line with its tag in the last column, a
//! blank line between sentences, `-DOCSTART-` lines between documents.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use super::TagMap;
use crate::gazetteer::EntityType;

/// One token and its tag as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The token.
    pub text: String,
    /// The tag (last column): `O`, `B-PER`, `I-LOC` ...
    pub tag: String,
}

/// One sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// 1-based number of the sentence among all sentences read, across files, in the
    /// order read: what [`SentenceRange`] selects by.
    pub number: usize,
    /// The file, as given.
    pub file: String,
    /// 1-based line of each token in its file.
    pub lines: Vec<usize>,
    /// The tokens.
    pub tokens: Vec<Token>,
}

/// One document: the sentences between two `-DOCSTART-` lines (or the file's ends).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConllDocument {
    /// `FILE:LINE` of its `-DOCSTART-` line, or of its first token when it has none.
    /// Documents without sentences are left out.
    pub id: String,
    /// Its sentences, in order.
    pub sentences: Vec<Sentence>,
}

/// Annotated documents read from one or more files.
///
/// ```
/// use naql::eval::ner::Corpus;
/// let mut corpus = Corpus::default();
/// corpus.parse("a.conll", "-DOCSTART- O\n\nPutin B-PER\nspoke O\n\nHe O\n")?;
/// assert_eq!(corpus.documents.len(), 1);
/// assert_eq!(corpus.documents[0].id, "a.conll:1");
/// assert_eq!(corpus.sentence_count(), 2);
/// assert_eq!(corpus.token_count(), 3);
/// # Ok::<(), naql::eval::ner::ConllError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Corpus {
    /// Documents in the order read.
    pub documents: Vec<ConllDocument>,
}

/// A CoNLL file that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ConllError {
    /// The file cannot be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The file is not UTF-8.
    #[error("{path}: not UTF-8 (byte offset {offset})")]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// First byte that is not valid UTF-8.
        offset: usize,
    },
    /// A token line without a tag column.
    #[error("{file}:{line}: a token line needs a tag in its last column, got {text:?}")]
    NoTag {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// The line.
        text: String,
    },
}

impl Corpus {
    /// Reads `paths` in order into one corpus.
    pub fn read(paths: &[PathBuf]) -> Result<Corpus, ConllError> {
        let mut corpus = Corpus::default();
        for path in paths {
            corpus.read_file(path)?;
        }
        Ok(corpus)
    }

    /// Reads one file and appends its documents.
    pub fn read_file(&mut self, path: &Path) -> Result<(), ConllError> {
        let bytes = std::fs::read(path).map_err(|source| ConllError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|err| ConllError::NotUtf8 {
            path: path.to_path_buf(),
            offset: err.utf8_error().valid_up_to(),
        })?;
        self.parse(&path.display().to_string(), &text)
    }

    /// Parses the text of a file named `file` and appends its documents.
    ///
    /// Columns are separated by tabs when the line has one, else by spaces; the token is
    /// the first column and the tag the last. A UTF-8 BOM and CR line ends are accepted,
    /// and a line of only spaces and tabs is a sentence break. A new file starts a new
    /// document.
    pub fn parse(&mut self, file: &str, text: &str) -> Result<(), ConllError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut next_number = self.sentence_count() + 1;
        let mut document: Option<ConllDocument> = None;
        let mut sentence: Option<Sentence> = None;
        let finish_sentence = |document: &mut Option<ConllDocument>,
                               sentence: &mut Option<Sentence>| {
            if let (Some(document), Some(sentence)) = (document.as_mut(), sentence.take()) {
                document.sentences.push(sentence);
            }
        };
        for (i, line) in text.split('\n').enumerate() {
            let number = i + 1;
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim_matches([' ', '\t']).is_empty() {
                finish_sentence(&mut document, &mut sentence);
                continue;
            }
            let fields: Vec<&str> = if line.contains('\t') {
                line.split('\t').collect()
            } else {
                line.split(' ').filter(|f| !f.is_empty()).collect()
            };
            if fields[0] == "-DOCSTART-" {
                finish_sentence(&mut document, &mut sentence);
                if let Some(done) = document.take().filter(|d| !d.sentences.is_empty()) {
                    self.documents.push(done);
                }
                document = Some(ConllDocument {
                    id: format!("{file}:{number}"),
                    sentences: Vec::new(),
                });
                continue;
            }
            if fields.len() < 2 || fields[fields.len() - 1].trim().is_empty() {
                return Err(ConllError::NoTag {
                    file: file.to_string(),
                    line: number,
                    text: line.to_string(),
                });
            }
            if document.is_none() {
                document = Some(ConllDocument {
                    id: format!("{file}:{number}"),
                    sentences: Vec::new(),
                });
            }
            let sentence = sentence.get_or_insert_with(|| {
                next_number += 1;
                Sentence {
                    number: next_number - 1,
                    file: file.to_string(),
                    lines: Vec::new(),
                    tokens: Vec::new(),
                }
            });
            sentence.lines.push(number);
            sentence.tokens.push(Token {
                text: fields[0].to_string(),
                tag: fields[fields.len() - 1].trim().to_string(),
            });
        }
        finish_sentence(&mut document, &mut sentence);
        if let Some(done) = document.filter(|d| !d.sentences.is_empty()) {
            self.documents.push(done);
        }
        Ok(())
    }

    /// Number of sentences.
    pub fn sentence_count(&self) -> usize {
        self.documents.iter().map(|d| d.sentences.len()).sum()
    }

    /// Number of tokens.
    pub fn token_count(&self) -> usize {
        self.documents
            .iter()
            .flat_map(|d| &d.sentences)
            .map(|s| s.tokens.len())
            .sum()
    }

    /// The corpus with only the sentences in `range`; documents left without sentences
    /// are dropped.
    ///
    /// ```
    /// use naql::eval::ner::{Corpus, SentenceRange};
    /// let mut corpus = Corpus::default();
    /// corpus.parse("a", "A O\n\nB O\n\nC O\n")?;
    /// let range: SentenceRange = "2-".parse().unwrap();
    /// let part = corpus.select(&range);
    /// assert_eq!(part.sentence_count(), 2);
    /// assert_eq!(part.documents[0].sentences[0].tokens[0].text, "B");
    /// # Ok::<(), naql::eval::ner::ConllError>(())
    /// ```
    pub fn select(&self, range: &SentenceRange) -> Corpus {
        let documents = self
            .documents
            .iter()
            .filter_map(|document| {
                let sentences: Vec<Sentence> = document
                    .sentences
                    .iter()
                    .filter(|s| range.contains(s.number))
                    .cloned()
                    .collect();
                (!sentences.is_empty()).then(|| ConllDocument {
                    id: document.id.clone(),
                    sentences,
                })
            })
            .collect();
        Corpus { documents }
    }
}

/// Sentences by number: `N`, `N-M`, `N-` (to the end) or `-M` (from the start), 1-based
/// and inclusive.
///
/// ```
/// use naql::eval::ner::SentenceRange;
/// let r: SentenceRange = "3-5".parse().unwrap();
/// assert!(r.contains(3) && r.contains(5) && !r.contains(6));
/// assert!("2381-".parse::<SentenceRange>().unwrap().contains(4760));
/// assert!("5-3".parse::<SentenceRange>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceRange {
    /// First sentence number.
    pub first: usize,
    /// Last sentence number (`usize::MAX` for open ranges).
    pub last: usize,
}

impl SentenceRange {
    /// Whether sentence `number` is in the range.
    pub fn contains(&self, number: usize) -> bool {
        (self.first..=self.last).contains(&number)
    }
}

impl FromStr for SentenceRange {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let number = |s: &str, default: usize| -> Result<usize, String> {
            if s.is_empty() {
                return Ok(default);
            }
            s.trim()
                .parse::<usize>()
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| format!("bad sentence number {s:?} (1 or more)"))
        };
        let (first, last) = match value.split_once('-') {
            Some((a, b)) => (number(a, 1)?, number(b, usize::MAX)?),
            None => {
                let n = number(value, 0)?;
                (n, n)
            }
        };
        if first == 0 || first > last {
            return Err(format!(
                "bad sentence range {value:?} (N, N-M, N- or -M with N <= M)"
            ));
        }
        Ok(SentenceRange { first, last })
    }
}

impl fmt::Display for SentenceRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.first, self.last) {
            (a, b) if a == b => write!(f, "{a}"),
            (a, usize::MAX) => write!(f, "{a}-"),
            (a, b) => write!(f, "{a}-{b}"),
        }
    }
}

/// A span of tokens tagged as one mention, by the tag's own type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaggedSpan {
    /// First token, 0-based within the sentence.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// The type as tagged (`PER`, `Politician` ...).
    pub tag_type: String,
}

/// The tagged spans of a sentence's tags. `B-X` starts a mention; `I-X` continues the
/// mention of the token before when it has type `X`, else starts one (so BIO and IOB1
/// read alike); `E-X`/`L-X` continue and end one, `S-X`/`U-X` are one-token mentions;
/// `O` (and `_`, `-`) is outside; a tag without a prefix is read as `I-`.
///
/// ```
/// use naql::eval::ner::tagged_spans;
/// let spans = tagged_spans(["I-PER", "I-PER", "B-PER", "O", "I-LOC", "B-ORG", "I-ORG"]);
/// let got: Vec<(usize, usize, &str)> =
///     spans.iter().map(|s| (s.start, s.end, s.tag_type.as_str())).collect();
/// assert_eq!(got, [(0, 2, "PER"), (2, 3, "PER"), (4, 5, "LOC"), (5, 7, "ORG")]);
/// ```
pub fn tagged_spans<'t>(tags: impl IntoIterator<Item = &'t str>) -> Vec<TaggedSpan> {
    let mut spans: Vec<TaggedSpan> = Vec::new();
    // The open mention: its index in `spans`.
    let mut open: Option<usize> = None;
    for (i, tag) in tags.into_iter().enumerate() {
        let (prefix, tag_type) = split_tag(tag);
        let continues = open.is_some_and(|o| spans[o].tag_type == tag_type && spans[o].end == i);
        match prefix {
            None => {
                open = None;
                continue;
            }
            Some('I' | 'E' | 'L') if continues => {
                if let Some(o) = open {
                    spans[o].end = i + 1;
                }
            }
            Some(_) => {
                spans.push(TaggedSpan {
                    start: i,
                    end: i + 1,
                    tag_type: tag_type.to_string(),
                });
                open = Some(spans.len() - 1);
            }
        }
        if matches!(prefix, Some('E' | 'L' | 'S' | 'U')) {
            open = None;
        }
    }
    spans
}

/// The prefix letter (`None` for outside) and type of a tag.
fn split_tag(tag: &str) -> (Option<char>, &str) {
    if matches!(tag, "O" | "o" | "_" | "-" | "") {
        return (None, "");
    }
    let mut chars = tag.chars();
    if let (Some(p), Some('-')) = (chars.next(), chars.next()) {
        let p = p.to_ascii_uppercase();
        if matches!(p, 'B' | 'I' | 'E' | 'L' | 'S' | 'U') && tag.len() > 2 {
            return (Some(p), &tag[2..]);
        }
    }
    (Some('I'), tag)
}

/// A mention of a sentence whose tag maps to a naql type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GoldMention {
    /// First token, 0-based within the sentence.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// The mapped type.
    pub entity_type: EntityType,
}

impl Sentence {
    /// The tagged spans of the sentence.
    pub fn tagged_spans(&self) -> Vec<TaggedSpan> {
        tagged_spans(self.tokens.iter().map(|t| t.tag.as_str()))
    }

    /// The mentions whose type `map` maps to a naql type.
    pub fn gold_mentions(&self, map: &TagMap) -> Vec<GoldMention> {
        self.tagged_spans()
            .into_iter()
            .filter_map(|span| {
                map.entity_type(&span.tag_type)
                    .map(|entity_type| GoldMention {
                        start: span.start,
                        end: span.end,
                        entity_type,
                    })
            })
            .collect()
    }
}
