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
    at: usize,
}

/// The file ends early or holds a value that cannot be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Damaged;

impl<'b> Reader<'b> {
    pub(crate) fn new(bytes: &'b [u8]) -> Reader<'b> {
        Reader { bytes, at: 0 }
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
        std::str::from_utf8(self.bytes_of()?).map_err(|_| Damaged)
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
}
