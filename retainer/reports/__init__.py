"""Reports rendered for people outside the terminal: the HTML compliance report for managers
(``html``, with its ``charts``) and the possible-destruction report for records officers
(``destruction``, 36 C.F.R. part 1230)."""
