from qingdan.lib.creditcode import check_character, find_error, make_code, normalize

# Published codes of real registrants (from public business registers) are valid by construction.
KNOWN_VALID = ["91350100M000100Y43", "91110000802100433B"]


def test_known_codes_are_valid():
    for code in KNOWN_VALID:
        assert find_error(code) is None, code


def test_wrong_check_character_names_position_18_and_the_expected_one():
    code = KNOWN_VALID[0][:17] + "0"
    error = find_error(code)
    assert error.kind == "check"
    assert error.position == 18
    assert error.expected == "3"


def test_letter_outside_the_alphabet_names_its_position():
    code = "9135O100M000100Y43"  # letter O at position 5
    error = find_error(code)
    assert (error.kind, error.position, error.found) == ("character", 5, "O")


def test_length_is_checked_first():
    assert find_error("9135").kind == "length"


def test_normalize_strips_spaces_and_uppercases():
    assert normalize(" 91350100m000100y43 ") == "91350100M000100Y43"


def test_make_code_produces_valid_codes():
    code = make_code("91", "431100", "MA4L0001")
    assert len(code) == 18
    assert find_error(code) is None
    assert check_character(code[:17]) == code[17]
