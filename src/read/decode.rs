//! Bytes to text: BOMs, UTF-16 without BOM, binary detection, UTF-8 validation and
//! legacy encodings detected with chardetng (Windows-1256 Persian and Arabic archives).

use encoding_rs::{DecoderResult, Encoding, UTF_16BE, UTF_16LE, UTF_8};

use super::ReadError;

/// Decoded text and the name of the encoding it was decoded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without byte order mark.
    pub text: String,
    /// Encoding name as recorded in `documents.csv` (`UTF-8`, `UTF-16LE`, `windows-1256`).
    pub encoding: &'static str,
}

/// Decodes one document's bytes.
///
/// With `forced` set, that encoding is used (a BOM of the same encoding is skipped).
/// Otherwise: a UTF-8 or UTF-16 BOM decides; NUL bytes mean UTF-16 when they sit on
/// every other byte, else binary content; valid UTF-8 is UTF-8; text that is mostly
/// valid multi-byte UTF-8 with a few broken sequences is damaged UTF-8 and an error
/// (guessing a legacy encoding would turn it into mojibake); anything else goes to
/// chardetng, which tells Windows-1256 from the other legacy encodings.
///
/// ```
/// use naql::read::decode::decode;
/// // "قالت المتحدثة باسم الخارجية الروسية" in Windows-1256.
/// let bytes = vec![
///     222, 199, 225, 202, 32, 199, 225, 227, 202, 205, 207, 203, 201, 32, 200, 199, 211, 227,
///     32, 199, 225, 206, 199, 209, 204, 237, 201, 32, 199, 225, 209, 230, 211, 237, 201,
/// ];
/// let decoded = decode(bytes, None).unwrap();
/// assert_eq!(decoded.text, "قالت المتحدثة باسم الخارجية الروسية");
/// assert_eq!(decoded.encoding, "windows-1256");
/// ```
pub fn decode(bytes: Vec<u8>, forced: Option<&'static Encoding>) -> Result<Decoded, ReadError> {
    if let Some(encoding) = forced {
        let skip = match Encoding::for_bom(&bytes) {
            Some((bom_encoding, len)) if bom_encoding == encoding => len,
            _ => 0,
        };
        return decode_strict(encoding, bytes, skip);
    }
    if let Some((encoding, len)) = Encoding::for_bom(&bytes) {
        return decode_strict(encoding, bytes, len);
    }
    if let Some(nul) = memchr::memchr(0, &bytes) {
        return match utf16_without_bom(&bytes) {
            Some(encoding) => decode_strict(encoding, bytes, 0),
            None => Err(ReadError::Binary { offset: nul }),
        };
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => {
            return Ok(Decoded {
                text,
                encoding: UTF_8.name(),
            })
        }
        Err(err) => {
            if looks_like_damaged_utf8(err.as_bytes()) {
                return Err(ReadError::InvalidUtf8 {
                    offset: err.utf8_error().valid_up_to(),
                });
            }
            err.into_bytes()
        }
    };
    // Arabic-script UTF-16 with ZWNJ instead of spaces has no NUL byte at all.
    if let Some(encoding) = utf16_without_bom(&bytes) {
        if let Ok(decoded) = decode_strict(encoding, bytes.clone(), 0) {
            return Ok(decoded);
        }
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(&bytes, true);
    let encoding = detector.guess(None, false);
    decode_strict(encoding, bytes, 0)
}

/// Decodes with `encoding` from byte `skip` on; a malformed sequence is an error that
/// names its byte offset.
fn decode_strict(
    encoding: &'static Encoding,
    bytes: Vec<u8>,
    skip: usize,
) -> Result<Decoded, ReadError> {
    if encoding == UTF_8 {
        let mut bytes = bytes;
        bytes.drain(..skip);
        return match String::from_utf8(bytes) {
            Ok(text) => Ok(Decoded {
                text,
                encoding: UTF_8.name(),
            }),
            Err(err) => Err(ReadError::InvalidUtf8 {
                offset: skip + err.utf8_error().valid_up_to(),
            }),
        };
    }
    let input = &bytes[skip..];
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(input.len())
        .unwrap_or(input.len().saturating_mul(3));
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(input, &mut text, true);
    match result {
        DecoderResult::InputEmpty => Ok(Decoded {
            text,
            encoding: encoding.name(),
        }),
        DecoderResult::Malformed(bad, _) => Err(ReadError::Malformed {
            encoding: encoding.name(),
            offset: skip + read - bad as usize,
        }),
        // The buffer was sized for the worst case; running out means the estimate was
        // unavailable, which only happens for inputs too large to address.
        DecoderResult::OutputFull => Err(ReadError::Malformed {
            encoding: encoding.name(),
            offset: skip + read,
        }),
    }
}

/// UTF-16 without BOM shows as NUL bytes on one parity only (ASCII and Latin-1 text)
/// or as high bytes on one parity that are nearly all those of Arabic script (0x06),
/// spaces and ASCII (0x00), punctuation and ZWNJ (0x20) and presentation forms
/// (0xFB–0xFE), with many 0x06: Persian or Arabic text, with or without spaces.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || bytes.len() % 2 != 0 {
        return None;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    let pairs = sample.len() / 2;
    let high_byte = |b: u8| matches!(b, 0x00 | 0x06 | 0x20 | 0xFB..=0xFE);
    let (mut nul, mut high, mut arabic) = ([0usize; 2], [0usize; 2], [0usize; 2]);
    for pair in sample.chunks_exact(2) {
        for (parity, &b) in pair.iter().enumerate() {
            nul[parity] += usize::from(b == 0);
            high[parity] += usize::from(high_byte(b));
            arabic[parity] += usize::from(b == 0x06);
        }
    }
    let mostly = |n: usize| n * 4 >= pairs;
    let rarely = |n: usize| n * 50 <= pairs;
    let script =
        |p: usize| high[p] * 20 >= pairs * 19 && mostly(arabic[p]) && high[1 - p] * 2 <= pairs;
    if mostly(nul[1]) && rarely(nul[0]) || script(1) {
        Some(UTF_16LE)
    } else if mostly(nul[0]) && rarely(nul[1]) || script(0) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// True when the bytes hold many well-formed multi-byte UTF-8 sequences and few broken
/// ones: UTF-8 that was cut or corrupted, not a legacy encoding.
fn looks_like_damaged_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(tail) => {
                valid += tail.bytes().filter(|b| *b >= 0xC0).count();
                break;
            }
            Err(err) => {
                let (good, bad) = rest.split_at(err.valid_up_to());
                valid += good.iter().filter(|b| **b >= 0xC0).count();
                invalid += 1;
                let skip = err.error_len().unwrap_or(bad.len()).max(1);
                rest = &bad[skip.min(bad.len())..];
                if rest.is_empty() {
                    break;
                }
            }
        }
    }
    valid >= 8 && valid >= invalid * 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_bom_is_stripped() {
        let decoded = decode(b"\xEF\xBB\xBFabc".to_vec(), None).unwrap();
        assert_eq!(decoded.text, "abc");
        assert_eq!(decoded.encoding, "UTF-8");
    }

    #[test]
    fn utf16le_with_and_without_bom() {
        let mut with_bom = vec![0xFF, 0xFE];
        let body: Vec<u8> = "Iran ایران"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        with_bom.extend(&body);
        assert_eq!(decode(with_bom, None).unwrap().text, "Iran ایران");
        let decoded = decode(body, None).unwrap();
        assert_eq!(decoded.text, "Iran ایران");
        assert_eq!(decoded.encoding, "UTF-16LE");
    }

    #[test]
    fn arabic_script_utf16_without_bom() {
        let text = "سخنگوی وزارت امور خارجه روسیه گفت مسکو با باکو در تماس است.";
        for spaced in [text.to_string(), text.replace(' ', "\u{200C}")] {
            let le: Vec<u8> = spaced.encode_utf16().flat_map(u16::to_le_bytes).collect();
            let be: Vec<u8> = spaced.encode_utf16().flat_map(u16::to_be_bytes).collect();
            assert_eq!(decode(le, None).unwrap().encoding, "UTF-16LE");
            let decoded = decode(be, None).unwrap();
            assert_eq!(
                (decoded.text, decoded.encoding),
                (spaced.clone(), "UTF-16BE")
            );
        }
    }

    #[test]
    fn nul_bytes_are_binary() {
        let err = decode(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x01".to_vec(), None).unwrap_err();
        assert_eq!(err, ReadError::Binary { offset: 7 });
    }

    #[test]
    fn damaged_utf8_names_the_offset() {
        let mut bytes = "سخنگوی وزارت امور خارجه".as_bytes().to_vec();
        bytes.insert(6, 0xFF);
        let err = decode(bytes, None).unwrap_err();
        assert_eq!(err, ReadError::InvalidUtf8 { offset: 6 });
    }

    #[test]
    fn forced_encoding_reports_malformed_bytes() {
        let err = decode(b"ab\xFFc".to_vec(), Some(UTF_8)).unwrap_err();
        assert_eq!(err, ReadError::InvalidUtf8 { offset: 2 });
        let decoded = decode(b"\xD3\xE1\xC7\xE3".to_vec(), Encoding::for_label(b"cp1256")).unwrap();
        assert_eq!(decoded.text, "سلام");
    }
}
