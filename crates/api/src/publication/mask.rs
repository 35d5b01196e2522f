//! Owners' names as printed in a public announcement: enough for a neighbour to recognise a
//! unit's owner, not enough to copy a full name (张*明).

/// Masks a name: Chinese names keep their first and last character (张*明, 欧**明; 张* for two
/// characters, * for one); Latin names keep the first letter of each word (J*** S****).
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    if name.chars().any(|c| c.is_ascii_alphabetic()) {
        return name
            .split_whitespace()
            .map(mask_word)
            .collect::<Vec<_>>()
            .join(" ");
    }
    let chars: Vec<char> = name.chars().filter(|c| !c.is_whitespace()).collect();
    match chars.as_slice() {
        [] => String::new(),
        [_] => "*".into(),
        [first, _] => format!("{first}*"),
        [first, middle @ .., last] => format!("{first}{}{last}", "*".repeat(middle.len())),
    }
}

fn mask_word(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count())),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::mask_name;

    #[test]
    fn chinese_names_keep_their_first_and_last_character() {
        assert_eq!(mask_name("明"), "*");
        assert_eq!(mask_name("张明"), "张*");
        assert_eq!(mask_name("张小明"), "张*明");
        assert_eq!(mask_name("欧阳小明"), "欧**明");
        assert_eq!(mask_name(" 张小明 "), "张*明");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn latin_names_keep_the_first_letter_of_each_word() {
        assert_eq!(mask_name("John Smith"), "J*** S****");
        assert_eq!(mask_name("Li"), "L*");
        assert_eq!(mask_name("Anne-Marie  Lee"), "A********* L**");
    }
}
