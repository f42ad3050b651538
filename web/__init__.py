"""The web shell: the Gradio chat page, the JSON API, the server and its guard, the reports tab."""
