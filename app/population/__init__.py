"""Reference population: importing Statistics Sweden's or a municipality's tables, comparing and
weighting a dialogue's respondents against them."""
