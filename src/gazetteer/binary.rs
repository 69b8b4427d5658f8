//! Little-endian encoding for the compiled gazetteer file: integers, strings and
//! integer arrays, read back with bounds checks so a damaged file is an error, never a
//! panic.

/// Appends values to a byte buffer.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    pub(crate) bytes: Vec<u8>,
}

impl Writer {
    pub(crate) fn u8(&mut self, value: u8) {
        self.bytes.push(value);
    }

    pub(crate) fn u32(&mut self, value: u32) {
        self.bytes.extend_from_slice(&value.to_le_bytes());
    }

    pub(crate) fn len(&mut self, value: usize) {
        self.u32(u32::try_from(value).expect("compiled gazetteer parts under 4 G entries"));
    }

    pub(crate) fn str(&mut self, value: &str) {
        self.bytes_of(value.as_bytes());
    }

    pub(crate) fn bytes_of(&mut self, value: &[u8]) {
        self.len(value.len());
        self.bytes.extend_from_slice(value);
    }

    pub(crate) fn u32s(&mut self, values: &[u32]) {
        self.len(values.len());
        self.bytes.reserve(values.len() * 4);
        for value in values {
            self.bytes.extend_from_slice(&value.to_le_bytes());
        }
    }
}

/// Reads values written by [`Writer`].
#[derive(Debug)]
pub(crate) struct Reader<'b> {
    bytes: &'b [u8],
    /// `bytes` as text, when they are known to be valid UTF-8 as a whole: a string is
    /// then sliced from it, checked only for starting and ending on character
    /// boundaries, instead of being validated on its own.
    text: Option<&'b str>,
    at: usize,
}

/// The file ends early or holds a value that cannot be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Damaged;

impl<'b> Reader<'b> {
    pub(crate) fn new(bytes: &'b [u8]) -> Reader<'b> {
        Reader {
            bytes,
            text: None,
            at: 0,
        }
    }

    /// A reader of values written into what is, as a whole, valid UTF-8 (lengths
    /// under 128 are ASCII bytes, so records of short strings often are). A slice of
    /// valid UTF-8 between two character boundaries is valid UTF-8 itself, so each
    /// string costs two boundary checks instead of a validation.
    pub(crate) fn of_text(text: &'b str) -> Reader<'b> {
        Reader {
            bytes: text.as_bytes(),
            text: Some(text),
            at: 0,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.at == self.bytes.len()
    }

    /// How many bytes have been read.
    pub(crate) fn position(&self) -> usize {
        self.at
    }

    /// The bytes read since `position` (an earlier [`Reader::position`]).
    pub(crate) fn since(&self, position: usize) -> &'b [u8] {
        &self.bytes[position..self.at]
    }

    fn take(&mut self, n: usize) -> Result<&'b [u8], Damaged> {
        let end = self.at.checked_add(n).ok_or(Damaged)?;
        let slice = self.bytes.get(self.at..end).ok_or(Damaged)?;
        self.at = end;
        Ok(slice)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, Damaged> {
        Ok(self.take(1)?[0])
    }

    pub(crate) fn u32(&mut self) -> Result<u32, Damaged> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(crate) fn len(&mut self) -> Result<usize, Damaged> {
        Ok(self.u32()? as usize)
    }

    pub(crate) fn bytes_of(&mut self) -> Result<&'b [u8], Damaged> {
        let n = self.len()?;
        self.take(n)
    }

    pub(crate) fn str(&mut self) -> Result<&'b str, Damaged> {
        let n = self.len()?;
        let start = self.at;
        let bytes = self.take(n)?;
        match self.text {
            Some(text) => text.get(start..self.at).ok_or(Damaged),
            // Long strings (a trie's table of names) are validated sixteen bytes and
            // more at a time.
            None if bytes.len() >= 64 => simdutf8::basic::from_utf8(bytes).map_err(|_| Damaged),
            None => std::str::from_utf8(bytes).map_err(|_| Damaged),
        }
    }

    pub(crate) fn string(&mut self) -> Result<String, Damaged> {
        self.str().map(str::to_string)
    }

    pub(crate) fn u32s(&mut self) -> Result<Vec<u32>, Damaged> {
        let n = self.len()?;
        let bytes = self.take(n.checked_mul(4).ok_or(Damaged)?)?;
        Ok(bytes
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_short_input_is_damaged() {
        let mut w = Writer::default();
        w.u8(7);
        w.u32(0xDEAD_BEEF);
        w.str("روسيا");
        w.u32s(&[1, 2, u32::MAX]);
        let mut r = Reader::new(&w.bytes);
        assert_eq!(r.u8(), Ok(7));
        assert_eq!(r.u32(), Ok(0xDEAD_BEEF));
        assert_eq!(r.str(), Ok("روسيا"));
        assert_eq!(r.u32s(), Ok(vec![1, 2, u32::MAX]));
        assert!(r.is_empty());
        let mut short = Reader::new(&w.bytes[..w.bytes.len() - 1]);
        short.u8().unwrap();
        short.u32().unwrap();
        short.str().unwrap();
        assert_eq!(short.u32s(), Err(Damaged));
        let mut huge = Reader::new(&[0xFF, 0xFF, 0xFF, 0xFF]);
        assert_eq!(huge.u32s(), Err(Damaged));
    }

    #[test]
    fn strings_of_valid_text_are_cut_at_character_boundaries_only() {
        let mut w = Writer::default();
        w.str("روسيا");
        w.str("é");
        let long = "ماریا زاخارووا ".repeat(3);
        assert!((64..128).contains(&long.len()));
        w.str(&long);
        let text = std::str::from_utf8(&w.bytes).unwrap();
        for mut r in [Reader::new(&w.bytes), Reader::of_text(text)] {
            assert_eq!(r.str(), Ok("روسيا"));
            assert_eq!(r.str(), Ok("é"));
            assert_eq!(r.str(), Ok(long.as_str()));
            assert!(r.is_empty());
        }
        // A length that cuts "é" in two: valid text as a whole, but not the string.
        let cut = "\u{1}\0\0\0é";
        assert_eq!(Reader::of_text(cut).str(), Err(Damaged));
        assert_eq!(Reader::new(cut.as_bytes()).str(), Err(Damaged));
        // Long strings are validated too.
        let mut bad = Writer::default();
        bad.bytes_of(&[b'a'; 70]);
        bad.bytes[40] = 0xFF;
        assert_eq!(Reader::new(&bad.bytes).str(), Err(Damaged));
    }
}
