"""The case: the fact base (attrs model), case files and registers read and checked, the bundled
cases, and the words for what they hold."""
