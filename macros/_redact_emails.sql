-- _redact_emails(text) -> VARCHAR                               (private helper of redact_text)
--
-- Replaces every email address in text by its token, pii_token(address,
-- 'email'), the same token the email column gets, so 'Ann.Lee@Example.com'
-- in a message and 'ann.lee@example.com' in the email column agree.
-- An address is local@domain.tld: local of letters, digits and ._%+-,
-- dot-separated domain labels of letters, digits and '-', a TLD of 2+ letters.
-- Fast path: text without '@' is returned untouched, without a regex.
-- The distinct addresses found are replaced longest first, so an address that
-- is the tail of a longer one ('a@x.com' in 'ba@x.com') cannot split it.
--
-- Example:
--   _redact_emails('write to Ann@x.com today') -> 'write to email_<16 letters> today'
create or replace temp macro _redact_emails(text) as (
    case
        when not contains(text, '@') then text
        else list_reduce(
            list_transform(
                list_sort(
                    list_transform(
                        list_distinct(regexp_extract_all(
                            text,
                            '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}'
                        )),
                        lambda _email: {'size': length(_email), 'address': _email}
                    ),
                    'desc'
                ),
                lambda _email_entry: _email_entry.address
            ),
            lambda _email_text, _email: replace(
                _email_text, _email, _keyed_token(_pii_normalize(_email, 'email'), 'email')
            ),
            text
        )
    end
);
