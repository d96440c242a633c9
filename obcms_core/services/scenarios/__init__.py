"""The scenario builder and optimiser: budgets built, checked, optimised, compared, explained."""
