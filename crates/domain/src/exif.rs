//! What a photo says about itself: when it was taken and where (EXIF, in a JPEG's APP1
//! segment), shown beside a close-out's evidence so the coordinator can see whether the photo
//! of "施工许可证已核发" was taken on site and in time. A small reader of the few tags we
//! need rather than a dependency: the date taken (DateTimeOriginal, else DateTime) and the GPS
//! position. Anything malformed reads as "not present", never as an error: a photo without
//! EXIF is still evidence.

use chrono::NaiveDateTime;

/// A position in decimal degrees (WGS-84, as cameras and phones record it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoPoint {
    pub lat: f64,
    pub lng: f64,
}

impl GeoPoint {
    /// A position, when both are within their ranges.
    pub fn new(lat: f64, lng: f64) -> Option<GeoPoint> {
        ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng) && lat.is_finite() && lng.is_finite())
            .then_some(GeoPoint { lat, lng })
    }

    /// A position as a person types it: `28.68, 121.44` (latitude, longitude in decimal
    /// degrees; a full-width comma or spaces between them do too); empty is none.
    pub fn parse(text: &str) -> Result<Option<GeoPoint>, crate::ParseError> {
        let t = crate::error::normalize_input(text);
        if t.is_empty() {
            return Ok(None);
        }
        let err = || crate::ParseError::new("invalid_position", "位置", &t, "位置应为“纬度,经度”（十进制度数，如 28.68,121.44）");
        let parts: Vec<&str> = t.split([',', '，', ' ']).filter(|p| !p.is_empty()).collect();
        let [lat, lng] = parts.as_slice() else {
            return Err(err());
        };
        let (lat, lng) = (lat.parse::<f64>().map_err(|_| err())?, lng.parse::<f64>().map_err(|_| err())?);
        GeoPoint::new(lat, lng).map(Some).ok_or_else(err)
    }

    /// The great-circle distance to `other` in kilometres (haversine, mean Earth radius).
    pub fn distance_km(self, other: GeoPoint) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lng - self.lng).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * 6371.0 * a.sqrt().asin()
    }
}

/// What a photo's EXIF holds that we show.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PhotoFacts {
    /// When it was taken, in the camera's local time (EXIF keeps no zone).
    pub taken_at: Option<NaiveDateTime>,
    pub position: Option<GeoPoint>,
}

/// Reads the EXIF of a JPEG; empty facts for anything else or without EXIF.
pub fn read(jpeg: &[u8]) -> PhotoFacts {
    app1_tiff(jpeg).and_then(|t| Tiff::new(t).map(|t| t.facts())).unwrap_or_default()
}

/// The TIFF block of the first `Exif\0\0` APP1 segment.
fn app1_tiff(b: &[u8]) -> Option<&[u8]> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        // Start of scan or end of image: no metadata after this.
        if marker == 0xDA || marker == 0xD9 {
            return None;
        }
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        let body = b.get(i + 4..i + 2 + len)?;
        if marker == 0xE1 && body.starts_with(b"Exif\0\0") {
            return Some(&body[6..]);
        }
        i += 2 + len;
    }
    None
}

struct Tiff<'a> {
    b: &'a [u8],
    big: bool,
}

/// An IFD entry: its type, count, and the 4 bytes that hold the value or its offset.
struct Entry {
    kind: u16,
    count: u32,
    raw: [u8; 4],
}

impl<'a> Tiff<'a> {
    fn new(b: &'a [u8]) -> Option<Tiff<'a>> {
        let big = match b.get(..4)? {
            [b'M', b'M', 0, 42] => true,
            [b'I', b'I', 42, 0] => false,
            _ => return None,
        };
        Some(Tiff { b, big })
    }

    fn u16_at(&self, at: usize) -> Option<u16> {
        let s: [u8; 2] = self.b.get(at..at + 2)?.try_into().ok()?;
        Some(if self.big { u16::from_be_bytes(s) } else { u16::from_le_bytes(s) })
    }

    fn u32_at(&self, at: usize) -> Option<u32> {
        let s: [u8; 4] = self.b.get(at..at + 4)?.try_into().ok()?;
        Some(if self.big { u32::from_be_bytes(s) } else { u32::from_le_bytes(s) })
    }

    /// The entries of the IFD at `offset`, by tag.
    fn ifd(&self, offset: usize) -> Vec<(u16, Entry)> {
        let Some(n) = self.u16_at(offset) else {
            return Vec::new();
        };
        (0..n as usize)
            .map_while(|k| {
                let at = offset + 2 + 12 * k;
                Some((
                    self.u16_at(at)?,
                    Entry {
                        kind: self.u16_at(at + 2)?,
                        count: self.u32_at(at + 4)?,
                        raw: self.b.get(at + 8..at + 12)?.try_into().ok()?,
                    },
                ))
            })
            .collect()
    }

    fn offset_of(&self, e: &Entry) -> usize {
        (if self.big {
            u32::from_be_bytes(e.raw)
        } else {
            u32::from_le_bytes(e.raw)
        }) as usize
    }

    /// An ASCII value (type 2), without its trailing NULs.
    fn ascii(&self, e: &Entry) -> Option<String> {
        if e.kind != 2 {
            return None;
        }
        let n = e.count as usize;
        let bytes = if n <= 4 {
            e.raw.get(..n)?
        } else {
            self.b.get(self.offset_of(e)..self.offset_of(e) + n)?
        };
        let s = std::str::from_utf8(bytes).ok()?.trim_end_matches('\0').trim();
        Some(s.to_string())
    }

    /// Three unsigned rationals (type 5) as degrees, minutes, seconds → degrees.
    fn degrees(&self, e: &Entry) -> Option<f64> {
        if e.kind != 5 || e.count != 3 {
            return None;
        }
        let at = self.offset_of(e);
        let mut parts = [0.0; 3];
        for (k, p) in parts.iter_mut().enumerate() {
            let (num, den) = (self.u32_at(at + 8 * k)?, self.u32_at(at + 8 * k + 4)?);
            if den == 0 {
                return None;
            }
            *p = num as f64 / den as f64;
        }
        Some(parts[0] + parts[1] / 60.0 + parts[2] / 3600.0)
    }

    fn facts(&self) -> PhotoFacts {
        let Some(first) = self.u32_at(4) else {
            return PhotoFacts::default();
        };
        let ifd0 = self.ifd(first as usize);
        let find = |ifd: &[(u16, Entry)], tag: u16| ifd.iter().position(|(t, _)| *t == tag);
        let sub = |tag: u16| {
            find(&ifd0, tag)
                .map(|i| self.offset_of(&ifd0[i].1))
                .map(|o| self.ifd(o))
                .unwrap_or_default()
        };
        let exif = sub(0x8769);
        let gps = sub(0x8825);
        let date = |ifd: &[(u16, Entry)], tag| {
            find(ifd, tag)
                .and_then(|i| self.ascii(&ifd[i].1))
                .and_then(|s| NaiveDateTime::parse_from_str(&s, "%Y:%m:%d %H:%M:%S").ok())
        };
        let taken_at = date(&exif, 0x9003).or_else(|| date(&ifd0, 0x0132));
        let signed = |value_tag, ref_tag, negative: &str| {
            let v = find(&gps, value_tag).and_then(|i| self.degrees(&gps[i].1))?;
            let r = find(&gps, ref_tag).and_then(|i| self.ascii(&gps[i].1)).unwrap_or_default();
            Some(if r.eq_ignore_ascii_case(negative) { -v } else { v })
        };
        let position = match (signed(2, 1, "S"), signed(4, 3, "W")) {
            (Some(lat), Some(lng)) => GeoPoint::new(lat, lng),
            _ => None,
        };
        PhotoFacts { taken_at, position }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A photo made for the tests (a 64×48 JPEG from a browser's canvas, EXIF added): taken
    /// 2019-12-20 10:15:00 at 28°40'48"N 121°26'24"E, in 椒江.
    const SITE: &[u8] = include_bytes!("../../zhantu/tests/fixtures/site-gps.jpg");

    #[test]
    fn reads_time_and_position() {
        let f = read(SITE);
        assert_eq!(f.taken_at.unwrap().to_string(), "2019-12-20 10:15:00");
        let p = f.position.unwrap();
        assert!((p.lat - 28.68).abs() < 1e-9 && (p.lng - 121.44).abs() < 1e-9, "{p:?}");
    }

    #[test]
    fn no_exif_or_garbage_reads_as_nothing() {
        assert_eq!(read(b"%PDF-1.7"), PhotoFacts::default());
        assert_eq!(read(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]), PhotoFacts::default());
        // Every truncation of a real file reads without panicking.
        for n in 0..SITE.len() {
            let _ = read(&SITE[..n]);
        }
        // A corrupted byte anywhere in the EXIF reads without panicking.
        for i in 0..200 {
            let mut b = SITE.to_vec();
            b[i] ^= 0xA5;
            let _ = read(&b);
        }
    }

    #[test]
    fn positions_as_typed() {
        assert_eq!(GeoPoint::parse("28.68, 121.44").unwrap(), GeoPoint::new(28.68, 121.44));
        assert_eq!(GeoPoint::parse("28.68，121.44").unwrap(), GeoPoint::new(28.68, 121.44));
        assert_eq!(GeoPoint::parse(" ").unwrap(), None);
        for bad in ["28.68", "北纬28度", "95,121", "28.68,121.44,3"] {
            assert_eq!(GeoPoint::parse(bad).unwrap_err().code, "invalid_position", "{bad}");
        }
    }

    #[test]
    fn distances() {
        let site = GeoPoint::new(28.68, 121.44).unwrap();
        assert!(site.distance_km(site) < 1e-9);
        // One minute of latitude is a nautical mile.
        let north = GeoPoint::new(28.68 + 1.0 / 60.0, 121.44).unwrap();
        assert!((site.distance_km(north) - 1.853).abs() < 0.01);
        assert!(GeoPoint::new(91.0, 0.0).is_none());
        assert!(GeoPoint::new(0.0, f64::NAN).is_none());
    }
}
