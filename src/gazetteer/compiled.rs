//! Compiled gazetteer files (`naql gazetteer compile`): the matcher built once and
//! written to disk, so that a run with a million names starts in a second or two
//! instead of keying and compiling every name again.
//!
//! Layout, all integers little-endian:
//!
//! | bytes | content |
//! | --- | --- |
//! | 8 | magic `NAQLGAZC` |
//! | 4 | format version ([`FORMAT_VERSION`]) |
//! | 32 | SHA-256 of the body |
//! | rest | body |
//!
//! The body holds the gazetteer's SHA-256 (over the TSV files compiled), its sources,
//! the SHA-256 of the built-in gazetteers when they were compiled in, the rows a run
//! needs besides the matcher (triggers, roles, cues, and the news outlets' entities and
//! names), then the matcher: its trie as plain integer arrays, names, entities and
//! trigger keys. A file of another format version, with a body that does not match
//! its checksum, or compiled with built-in gazetteers other than this naql's, is
//! refused with an error that says to recompile.

use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::binary::{Damaged, Reader, Writer};
use super::{CueRow, EntityRow, EntityType, Gazetteer, NameKind, NameRow, RoleRow, TriggerRow};
use crate::matcher::Matcher;

/// First bytes of a compiled gazetteer file.
pub const MAGIC: &[u8; 8] = b"NAQLGAZC";

/// Version of the layout; files of another version are refused.
pub const FORMAT_VERSION: u32 = 3;

/// The built-in gazetteers compiled (`gazetteers/builtin.naqlgaz`, remade by
/// `tools/compile_builtin.sh`), so that a run with only them reads them like a compiled
/// file instead of compiling their TSV files (0.06 s of start-up). A unit test holds
/// it to what compiling the built-in TSV files gives.
const BUILTIN: &[u8] = include_bytes!("../../gazetteers/builtin.naqlgaz");

/// A gazetteer compiled into a matcher, from TSV files or from a compiled file.
#[derive(Debug, Clone)]
pub struct CompiledGazetteer {
    /// The rows a run needs besides the matcher: triggers, roles, cues, and the news
    /// outlets (entities of subtype `media` or `agency`, with their names); plus the
    /// sources and SHA-256 of everything compiled. The other entities and names are
    /// in the matcher only.
    pub gazetteer: Gazetteer,
    /// The compiled names.
    pub matcher: Arc<Matcher>,
    /// SHA-256 of the built-in gazetteers compiled in, if they were.
    pub builtin_sha256: Option<String>,
}

/// Why a compiled gazetteer file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CompiledError {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Not a compiled gazetteer.
    #[error("{0}: not a compiled naql gazetteer (no NAQLGAZC header); give a gazetteer directory or a file written by `naql gazetteer compile`")]
    NotCompiled(String),
    /// Written by a naql with another layout.
    #[error("{path}: compiled gazetteer format {found}, this naql reads format {FORMAT_VERSION}; recompile it with `naql gazetteer compile`")]
    Version {
        /// The file.
        path: String,
        /// The version in the file.
        found: u32,
    },
    /// The body does not match its checksum, or cannot be read.
    #[error("{0}: compiled gazetteer is damaged (checksum or content does not match); recompile it with `naql gazetteer compile`")]
    Damaged(String),
    /// Compiled with other built-in gazetteers than this naql's.
    #[error("{path}: compiled with other built-in gazetteers than this naql's (sha256 {found}, this naql has {expected}); recompile it with `naql gazetteer compile`")]
    Builtin {
        /// The file.
        path: String,
        /// The SHA-256 recorded in the file.
        found: String,
        /// This naql's.
        expected: String,
    },
}

impl CompiledGazetteer {
    /// Compiles `gazetteer`; `builtin` says whether the built-in gazetteers are in it.
    /// The rows only the matcher needs are dropped.
    pub fn new(gazetteer: Gazetteer, builtin: bool) -> CompiledGazetteer {
        let matcher = Arc::new(Matcher::new(&gazetteer));
        CompiledGazetteer {
            gazetteer: slim(gazetteer),
            matcher,
            builtin_sha256: builtin.then(super::builtin_sha256),
        }
    }

    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        let g = &self.gazetteer;
        w.str(&g.sha256);
        w.len(g.sources.len());
        for source in &g.sources {
            w.str(source);
        }
        w.str(self.builtin_sha256.as_deref().unwrap_or(""));
        w.len(g.entities.len());
        for e in &g.entities {
            for field in [
                &e.id,
                &e.subtype,
                &e.label_en,
                &e.wikidata,
                &e.country,
                &e.origin,
            ] {
                w.str(field);
            }
            w.str(e.entity_type.code());
        }
        w.len(g.names.len());
        for n in &g.names {
            for field in [&n.id, &n.name, &n.lang, &n.source, &n.origin, &n.key] {
                w.str(field);
            }
            w.str(n.kind.code());
            w.u8(n.priority);
            w.u8(u8::from(n.exact_case) | u8::from(n.ambiguous) << 1);
        }
        w.len(g.triggers.len());
        for t in &g.triggers {
            w.str(&t.lang);
            w.str(&t.word);
            w.str(t.entity_type.map_or("", EntityType::code));
        }
        w.len(g.roles.len());
        for r in &g.roles {
            for field in [&r.lang, &r.title, &r.holder_id, &r.valid_from, &r.valid_to] {
                w.str(field);
            }
        }
        w.len(g.cues.len());
        for c in &g.cues {
            for field in [&c.lang, &c.kind, &c.phrase, &c.gender, &c.refers] {
                w.str(field);
            }
        }
        self.matcher.write(&mut w);
        let body = w.bytes;
        let mut file = Vec::with_capacity(body.len() + 44);
        file.extend_from_slice(MAGIC);
        file.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        file.extend_from_slice(&Sha256::digest(&body));
        file.extend_from_slice(&body);
        file
    }

    /// Writes the compiled gazetteer to `path`: to a partial file first, renamed over
    /// `path` once complete, so that a run reading an earlier file at `path` keeps
    /// reading that one whole.
    pub fn write(&self, path: &Path) -> Result<(), CompiledError> {
        let io = |source| CompiledError::Io {
            path: path.display().to_string(),
            source,
        };
        let (staged, mut file) = crate::sink::Staged::create(path).map_err(io)?;
        std::io::Write::write_all(&mut file, &self.to_bytes()).map_err(io)?;
        file.sync_data().map_err(io)?;
        staged.commit().map_err(io)
    }

    /// Reads a file written by [`CompiledGazetteer::write`].
    ///
    /// The file is mapped into memory rather than copied: its pages are then those the
    /// system already caches, where a copy takes as much fresh memory again (162 MB at
    /// a million names), which the kernel must clear first. Where it cannot be mapped
    /// (a pipe, say) it is read.
    pub fn read(path: &Path) -> Result<CompiledGazetteer, CompiledError> {
        let name = path.display().to_string();
        let io = |source| CompiledError::Io {
            path: name.clone(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        // SAFETY: the mapping lives only while this call reads it, and every read of
        // it is bounds-checked. Its bytes change only if another program rewrites the
        // file in place meanwhile (`naql gazetteer compile` does not: it renames a new
        // file over the old one); what is read may then be garbled, never out of
        // bounds, though the system stops the process if the file shrank.
        let mapped = unsafe { memmap2::MmapOptions::new().populate().map(&file) };
        match mapped {
            Ok(map) => Self::from_bytes(&map, &name),
            Err(_) => {
                let bytes = std::fs::read(path).map_err(io)?;
                Self::from_bytes(&bytes, &name)
            }
        }
    }

    /// The built-in gazetteers, read from the compiled copy embedded at build time.
    /// `None` when that copy cannot be used: made from other built-in files than this
    /// build's, or in another format (the unit test on it fails then), so that the
    /// caller compiles the built-in files instead.
    pub fn builtin() -> Option<CompiledGazetteer> {
        Self::from_bytes(BUILTIN, "built-in gazetteers").ok()
    }

    /// Reads the bytes of a compiled gazetteer; `name` is the file named in errors.
    pub fn from_bytes(bytes: &[u8], name: &str) -> Result<CompiledGazetteer, CompiledError> {
        if bytes.len() < 8 || &bytes[..8] != MAGIC {
            return Err(CompiledError::NotCompiled(name.to_string()));
        }
        let damaged = || CompiledError::Damaged(name.to_string());
        let version = bytes.get(8..12).ok_or_else(damaged)?;
        let version = u32::from_le_bytes([version[0], version[1], version[2], version[3]]);
        if version != FORMAT_VERSION {
            return Err(CompiledError::Version {
                path: name.to_string(),
                found: version,
            });
        }
        let checksum = bytes.get(12..44).ok_or_else(damaged)?;
        let body = &bytes[44..];
        // The checksum is computed while the body is read (the reader checks every
        // length and index, so a damaged body gives an error, never a wrong read); the
        // result is used only once the checksum agrees. At a million names this takes
        // the hashing (0.1 s) off the start-up.
        let (digest, compiled) = std::thread::scope(|scope| {
            let digest = scope.spawn(|| Sha256::digest(body));
            let compiled = read_body(body);
            (digest.join(), compiled)
        });
        let digest = digest.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        if digest.as_slice() != checksum {
            return Err(damaged());
        }
        let compiled = compiled.map_err(|_| damaged())?;
        if let Some(found) = &compiled.builtin_sha256 {
            let expected = super::builtin_sha256();
            if *found != expected {
                return Err(CompiledError::Builtin {
                    path: name.to_string(),
                    found: found.clone(),
                    expected,
                });
            }
        }
        Ok(compiled)
    }
}

/// `gazetteer` without the entities and names only the matcher needs.
fn slim(mut gazetteer: Gazetteer) -> Gazetteer {
    gazetteer
        .entities
        .retain(|e| matches!(e.subtype.as_str(), "media" | "agency"));
    let outlets: std::collections::HashSet<&str> =
        gazetteer.entities.iter().map(|e| e.id.as_str()).collect();
    let names = std::mem::take(&mut gazetteer.names);
    gazetteer.names = names
        .into_iter()
        .filter(|n| outlets.contains(n.id.as_str()))
        .collect();
    gazetteer
}

fn read_body(body: &[u8]) -> Result<CompiledGazetteer, Damaged> {
    let mut r = Reader::new(body);
    let mut g = Gazetteer {
        sha256: r.string()?,
        ..Gazetteer::default()
    };
    for _ in 0..r.len()? {
        g.sources.push(r.string()?);
    }
    let builtin = r.string()?;
    let entity_type = |code: &str| EntityType::parse(code).ok_or(Damaged);
    for _ in 0..r.len()? {
        let [id, subtype, label_en, wikidata, country, origin] = strings(&mut r)?;
        g.entities.push(EntityRow {
            id,
            entity_type: entity_type(r.str()?)?,
            subtype,
            label_en,
            wikidata,
            country,
            origin,
        });
    }
    for _ in 0..r.len()? {
        let [id, name, lang, source, origin, key] = strings(&mut r)?;
        let kind = NameKind::parse(r.str()?).ok_or(Damaged)?;
        let priority = r.u8()?;
        let flags = r.u8()?;
        g.names.push(NameRow {
            id,
            name,
            lang,
            kind,
            priority,
            exact_case: flags & 1 != 0,
            ambiguous: flags & 2 != 0,
            source,
            origin,
            key,
        });
    }
    for _ in 0..r.len()? {
        let [lang, word] = strings(&mut r)?;
        let code = r.str()?;
        let entity_type = if code.is_empty() {
            None
        } else {
            Some(entity_type(code)?)
        };
        g.triggers.push(TriggerRow {
            lang,
            word,
            entity_type,
        });
    }
    for _ in 0..r.len()? {
        let [lang, title, holder_id, valid_from, valid_to] = strings(&mut r)?;
        g.roles.push(RoleRow {
            lang,
            title,
            holder_id,
            valid_from,
            valid_to,
        });
    }
    for _ in 0..r.len()? {
        let [lang, kind, phrase, gender, refers] = strings(&mut r)?;
        g.cues.push(CueRow {
            lang,
            kind,
            phrase,
            gender,
            refers,
        });
    }
    let matcher = Matcher::read(&mut r)?;
    if !r.is_empty() {
        return Err(Damaged);
    }
    Ok(CompiledGazetteer {
        gazetteer: g,
        matcher: Arc::new(matcher),
        builtin_sha256: (!builtin.is_empty()).then_some(builtin),
    })
}

fn strings<const N: usize>(r: &mut Reader) -> Result<[String; N], Damaged> {
    let mut out: [String; N] = std::array::from_fn(|_| String::new());
    for slot in &mut out {
        *slot = r.string()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{CompiledGazetteer, BUILTIN};
    use crate::gazetteer::{builtin, Gazetteer};

    #[test]
    fn the_embedded_builtin_gazetteers_are_what_compiling_them_gives() {
        let (gazetteer, problems) = Gazetteer::load(&builtin());
        // A run from the embedded copy prints no warnings, so there must be none.
        assert!(problems.is_empty(), "{problems:?}");
        let compiled = CompiledGazetteer::new(gazetteer, true).to_bytes();
        assert!(
            compiled == BUILTIN,
            "gazetteers/builtin.naqlgaz is not what the built-in gazetteers and this \
             code compile to: remake it with tools/compile_builtin.sh"
        );
        let read = CompiledGazetteer::builtin().expect("the embedded copy reads");
        assert_eq!(read.to_bytes(), compiled);
    }
}
