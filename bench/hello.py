"""A bare Flask "hello world": the yardstick the pilot page's requests per second are held to."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, world"
