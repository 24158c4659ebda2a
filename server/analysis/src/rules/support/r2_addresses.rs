//! r2_addresses: network addresses (URLs with a host, IPv4 and IPv6 addresses) in the value of
//! a string literal, with the addresses that name nothing to connect to left out.

/// URL schemes whose host is a place the code connects to.
const SCHEMES: &[&str] = &["http", "https", "ftp", "ftps", "ws", "wss"];

/// Hosts whose URLs are XML namespace or schema identifiers, never fetched.
const NAMESPACE_HOSTS: &[&str] = &[
    "www.w3.org",
    "w3.org",
    "schemas.xmlsoap.org",
    "schemas.openxmlformats.org",
    "schemas.microsoft.com",
    "docs.oasis-open.org",
    "purl.org",
    "exslt.org",
    "www.xml.org",
    "xml.org",
    "ns.adobe.com",
    "www.omg.org",
    "relaxng.org",
    "json-schema.org",
    "schemas.android.com",
];

/// 1C's hosts, whose `http://` URLs with one of these first path segments are the namespaces
/// of platform and library XDTO packages (`http://v8.1c.ru/8.1/data/core`).
const ONEC_HOSTS: &[&str] = &["v8.1c.ru", "www.v8.1c.ru", "1c.ru", "www.1c.ru"];
const ONEC_NAMESPACE_SEGMENTS: &[&str] =
    &["8.1", "8.2", "8.3", "data", "ssl", "saas", "1cfresh", "edi", "v8", "ws", "enterprisedata"];

/// The first address in `value` that names a concrete host, as written.
pub fn find_address(value: &str) -> Option<&str> {
    find_url(value).or_else(|| find_ipv4(value)).or_else(|| find_ipv6(value))
}

fn find_url(value: &str) -> Option<&str> {
    let mut from = 0;
    while let Some(found) = value[from..].find("://") {
        let at = from + found;
        from = at + 3;
        let scheme_start = value[..at]
            .char_indices()
            .rev()
            .find(|&(_, c)| !c.is_ascii_alphanumeric())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let scheme = value[scheme_start..at].to_ascii_lowercase();
        if !SCHEMES.contains(&scheme.as_str()) {
            continue;
        }
        let rest = &value[at + 3..];
        let authority_len =
            rest.find(|c: char| !(c.is_alphanumeric() || ".-_:@[]%~".contains(c))).unwrap_or(rest.len());
        let authority = &rest[..authority_len];
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = if let Some(bracketed) = host_port.strip_prefix('[') {
            bracketed.split(']').next().unwrap_or("")
        } else {
            host_port.split(':').next().unwrap_or("")
        };
        let end = at + 3 + authority_len;
        let path = &value[end..];
        if is_concrete_host(host) && !is_namespace(&scheme, host, path) {
            let url_end = at + 3 + rest.find(|c: char| c.is_whitespace() || "\"'<>".contains(c)).unwrap_or(rest.len());
            return Some(&value[scheme_start..url_end]);
        }
    }
    None
}

/// A host that is not a placeholder, a loopback or an example: a dotted name whose last part
/// is letters, or an IP address.
fn is_concrete_host(host: &str) -> bool {
    let lower = host.to_lowercase();
    if lower.is_empty() || is_loopback(&lower) {
        return false;
    }
    if lower.contains(':') {
        return parse_ipv6(&lower).is_some();
    }
    if parse_ipv4(&lower).is_some() {
        return true;
    }
    if !lower.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-') || lower.contains('%') {
        return false;
    }
    let labels: Vec<&str> = lower.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return false;
    }
    let top = labels[labels.len() - 1];
    if top.chars().count() < 2 || !top.chars().all(char::is_alphabetic) {
        return false;
    }
    let example = ["example", "test", "invalid", "localhost", "local"].contains(&top)
        || (labels.len() >= 2 && labels[labels.len() - 2] == "example");
    !example
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "0.0.0.0"
        || host == "::1"
        || host == "::"
        || (host.starts_with("127.") && parse_ipv4(host).is_some())
}

fn is_namespace(scheme: &str, host: &str, path: &str) -> bool {
    let host = host.to_lowercase();
    if NAMESPACE_HOSTS.contains(&host.as_str()) {
        return true;
    }
    if scheme == "http" && ONEC_HOSTS.contains(&host.as_str()) {
        let segment = path.trim_start_matches('/').split(['/', '"', '#', '?']).next().unwrap_or("").to_lowercase();
        return ONEC_NAMESPACE_SEGMENTS.contains(&segment.as_str());
    }
    false
}

/// The four numbers of a dotted IPv4 address, each 0..=255 without leading zeros.
fn parse_ipv4(text: &str) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut parts = text.split('.');
    for slot in &mut out {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if part.len() > 1 && part.starts_with('0') {
            return None;
        }
        *slot = part.parse().ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// A dotted quad standing alone in the text (not part of a longer dotted number), that is an
/// address rather than a version or an object identifier: written with a port, after `//`,
/// `\\` or `@`, or starting with a number of 10 or more. Loopback, `0.0.0.0` and masks are
/// left out.
fn find_ipv4(value: &str) -> Option<&str> {
    let bytes = value.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        if !bytes[index].is_ascii_digit() || (index > 0 && is_number_char(bytes[index - 1])) {
            index += 1;
            continue;
        }
        let start = index;
        let mut end = index;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
            end += 1;
        }
        // A sentence may end with a dot right after the address.
        let mut candidate_end = end;
        while candidate_end > start && bytes[candidate_end - 1] == b'.' {
            candidate_end -= 1;
        }
        index = end;
        let followed_by_letter = value[end..].chars().next().is_some_and(|c| c.is_alphabetic() || c == '_');
        if followed_by_letter {
            continue;
        }
        let candidate = &value[start..candidate_end];
        let Some(octets) = parse_ipv4(candidate) else { continue };
        if octets[0] == 127 || octets[0] == 255 || octets == [0, 0, 0, 0] {
            continue;
        }
        let with_port =
            value[candidate_end..].strip_prefix(':').is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
        let before = &value[..start];
        let after_marker = before.ends_with("//") || before.ends_with("\\\\") || before.ends_with('@');
        if with_port || after_marker || octets[0] >= 10 {
            return Some(candidate);
        }
    }
    None
}

fn is_number_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'.' || byte == b'_' || byte >= 0x80
}

/// An IPv6 address in full (eight groups) or compressed (`::`) form.
fn parse_ipv6(text: &str) -> Option<()> {
    if !text.contains(':') || !text.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
        return None;
    }
    if text.contains(":::") || text.matches("::").count() > 1 {
        return None;
    }
    let groups: Vec<&str> = text.split(':').collect();
    if groups.iter().any(|g| g.len() > 4) {
        return None;
    }
    let filled = groups.iter().filter(|g| !g.is_empty()).count();
    let compressed = text.contains("::");
    let shaped = if compressed { (2..=7).contains(&filled) } else { groups.len() == 8 };
    (shaped && text.chars().any(|c| c.is_ascii_digit())).then_some(())
}

fn find_ipv6(value: &str) -> Option<&str> {
    if !value.contains(':') {
        return None;
    }
    let is_part = |c: char| c.is_ascii_hexdigit() || c == ':';
    let mut start = None;
    let chars: Vec<(usize, char)> = value.char_indices().collect();
    for (position, &(offset, c)) in chars.iter().enumerate() {
        if is_part(c) {
            if start.is_none() {
                let previous = position.checked_sub(1).map(|p| chars[p].1);
                if previous.is_some_and(|p| p.is_alphanumeric() || p == '.' || p == '_') {
                    continue;
                }
                start = Some(offset);
            }
            continue;
        }
        if let Some(from) = start.take()
            && let Some(found) = ipv6_token(value, from, offset, c)
        {
            return Some(found);
        }
    }
    start.and_then(|from| ipv6_token(value, from, value.len(), ' '))
}

fn ipv6_token(value: &str, from: usize, to: usize, next: char) -> Option<&str> {
    if next.is_alphanumeric() || next == '.' || next == '_' {
        return None;
    }
    let token = &value[from..to];
    let lower = token.to_ascii_lowercase();
    (parse_ipv6(&lower).is_some() && !is_loopback(&lower)).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::find_address;

    #[test]
    fn finds_hosts_and_skips_namespaces() {
        assert_eq!(find_address("https://api.example.org/x"), None);
        assert_eq!(find_address("см. https://its.1c.ru/db/v8std"), Some("https://its.1c.ru/db/v8std"));
        assert_eq!(find_address("http://www.w3.org/2001/XMLSchema"), None);
        assert_eq!(find_address("http://v8.1c.ru/8.1/data/core"), None);
        assert_eq!(find_address("https://v8.1c.ru/platforma/"), Some("https://v8.1c.ru/platforma/"));
        assert_eq!(find_address("http://localhost:8080/base"), None);
        assert_eq!(find_address("http://<адрес>/"), None);
        assert_eq!(find_address("http://"), None);
        assert_eq!(find_address("192.168.0.1"), Some("192.168.0.1"));
        assert_eq!(find_address("3.1.12.238"), None);
        assert_eq!(find_address("2.5.29.15"), None);
        assert_eq!(find_address("1.2.3.4:8080"), Some("1.2.3.4"));
        assert_eq!(find_address("10.0.0.1.5"), None);
        assert_eq!(find_address("255.255.255.0"), None);
        assert_eq!(find_address("fe80::1"), Some("fe80::1"));
        assert_eq!(find_address("12:30:00"), None);
        assert_eq!(find_address("Модуль::Метод"), None);
        assert_eq!(find_address("::1"), None);
        assert_eq!(
            find_address("2001:0db8:0000:0000:0000:ff00:0042:8329"),
            Some("2001:0db8:0000:0000:0000:ff00:0042:8329")
        );
    }
}
