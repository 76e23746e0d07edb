"""GenericSetup profiles of compositepage, installed as compositepage.profiles."""
